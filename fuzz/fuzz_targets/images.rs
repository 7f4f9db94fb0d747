//! Any bytes as an image: the header check of `bulletin::limits`, then the
//! decoder of the PDF writer (a one-page PDF with only that image). Must
//! never panic or allocate past the limits: whatever the header check lets
//! through is within them, and whatever is refused gets a Chinese reason.
#![no_main]

use bulletin::limits::{self, ImageProblem};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let probed = limits::probe_image(data);
    match &probed {
        Ok(info) => {
            assert!(info.width > 0 && info.height > 0, "{info:?}");
            let pixels = u64::from(info.width) * u64::from(info.height);
            assert!(pixels <= limits::MAX_IMAGE_PIXELS, "{info:?}");
            assert!(info.decoded_bytes <= limits::MAX_IMAGE_DECODED_BYTES, "{info:?}");
            assert!(info.decoded_bytes >= pixels, "{info:?}");
        }
        Err(e) => assert!(!e.message().is_empty()),
    }
    match bulletin::render::pdf::image_pdf(data.to_vec()) {
        Ok(pdf) => {
            // Only an image that passed the header check is ever decoded.
            assert!(probed.is_ok(), "decoded although refused: {probed:?}");
            assert!(pdf.starts_with(b"%PDF-"));
        }
        Err(ImageProblem::Unreadable) => assert!(probed.is_err()),
        Err(e) => assert!(!e.message().is_empty()),
    }
});
