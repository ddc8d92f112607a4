"""One module per screen. Screens show what the App hands them and post messages back."""
