"""One module per widget. Widgets display data they are given; none calls the engine."""
