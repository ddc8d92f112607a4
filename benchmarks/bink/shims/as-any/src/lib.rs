//! Stand-in for `as-any` 0.3: lets a `&dyn Trait` (whose trait has `AsAny` as a
//! supertrait) be seen as `&dyn Any`, and so downcast to its concrete type.
#![no_std]
#![forbid(unsafe_code)]

use core::any::Any;

/// Conversion of any `'static` value to `&dyn Any`.
pub trait AsAny: Any {
    fn as_any(&self) -> &dyn Any;
    fn as_any_mut(&mut self) -> &mut dyn Any;
    fn type_name(&self) -> &'static str;
}

impl<T: Any> AsAny for T {
    #[inline(always)]
    fn as_any(&self) -> &dyn Any {
        self
    }

    #[inline(always)]
    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }

    #[inline(always)]
    fn type_name(&self) -> &'static str {
        core::any::type_name::<T>()
    }
}

/// `is`, `downcast_ref` and `downcast_mut` on anything that is `AsAny`, trait objects
/// included (hence `?Sized`).
pub trait Downcast: AsAny {
    #[inline(always)]
    fn is<T: AsAny>(&self) -> bool {
        self.as_any().is::<T>()
    }

    #[inline(always)]
    fn downcast_ref<T: AsAny>(&self) -> Option<&T> {
        self.as_any().downcast_ref()
    }

    #[inline(always)]
    fn downcast_mut<T: AsAny>(&mut self) -> Option<&mut T> {
        self.as_any_mut().downcast_mut()
    }
}

impl<T: ?Sized + AsAny> Downcast for T {}
