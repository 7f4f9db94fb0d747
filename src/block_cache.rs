//! The program's allocator: the system allocator, plus a few freed large
//! blocks kept for reuse.
//!
//! Writing a PDF deflates every page stream and font program, and each
//! compression allocates and frees a working state of about 300 KB. On the
//! heap, the small results kept between two compressions split each freed
//! state, so every page left a hole: a 2,000-item issue peaked at 560 MB
//! with 25 MB live. `main` therefore gives glibc a fixed mmap threshold
//! (large blocks get their own mapping, returned on free), and this cache
//! keeps the last few freed large blocks so that the next compression
//! takes one back instead of mapping and faulting in fresh pages.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::Mutex;

/// Blocks from this size up are cached (glibc maps them on their own, see
/// `main`).
pub const LARGE: usize = 256 * 1024;
/// Blocks above this size are never cached.
const LARGEST: usize = 4 * 1024 * 1024;
/// How many freed blocks are kept.
const SLOTS: usize = 8;

pub struct BlockCache {
    /// (address, size, alignment) of each kept block; size 0: empty.
    slots: Mutex<[(usize, usize, usize); SLOTS]>,
}

impl BlockCache {
    pub const fn new() -> Self {
        BlockCache {
            slots: Mutex::new([(0, 0, 0); SLOTS]),
        }
    }

    fn cached(layout: &Layout) -> bool {
        (LARGE..=LARGEST).contains(&layout.size())
    }
}

// SAFETY: a kept block is handed out again only for a layout of exactly
// its size and alignment, the layout `System` made it for; a cached block is owned by the cache alone until handed out
// again, and the cache never touches its contents.
unsafe impl GlobalAlloc for BlockCache {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if Self::cached(&layout)
            && let Ok(mut slots) = self.slots.try_lock()
            && let Some(slot) = slots
                .iter_mut()
                .find(|s| s.1 == layout.size() && s.2 == layout.align())
        {
            let ptr = slot.0 as *mut u8;
            *slot = (0, 0, 0);
            return ptr;
        }
        // SAFETY: forwarded as is.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if Self::cached(&layout)
            && let Ok(mut slots) = self.slots.try_lock()
            && let Some(slot) = slots.iter_mut().find(|s| s.1 == 0)
        {
            *slot = (ptr as usize, layout.size(), layout.align());
            return;
        }
        // SAFETY: forwarded as is.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if Self::cached(&layout) {
            // SAFETY: `alloc` returns a block of `layout` or null.
            let ptr = unsafe { self.alloc(layout) };
            if !ptr.is_null() {
                // SAFETY: the block is `layout.size()` bytes and ours.
                unsafe { std::ptr::write_bytes(ptr, 0, layout.size()) };
            }
            return ptr;
        }
        // SAFETY: forwarded as is.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: forwarded as is; a cached-size block was allocated by
        // `System` with this layout, so `System` may resize it.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}
