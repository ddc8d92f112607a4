//! Stand-in for `web-time` 1.1 on native targets, where that crate re-exports `std::time`.
pub use std::time::{
    Duration, Instant, SystemTime, SystemTimeError, TryFromFloatSecsError, UNIX_EPOCH,
};
