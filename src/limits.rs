//! The resource limits every input is held to, in one place: sizes of
//! submissions and of a whole issue, and images checked from their header
//! before anything decodes them. A limit that is hit is an error with a
//! Chinese message, never an abort for lack of memory.

use std::path::Path;

/// A submission larger than this is refused unread (10 MB submissions, far
/// beyond any real one, still build).
pub const MAX_SUBMISSION_BYTES: u64 = 12 << 20;

/// Submissions and the images they reference, together, at most.
pub const MAX_ISSUE_BYTES: u64 = 64 << 20;

/// An image file larger than this is refused before it is read.
pub const MAX_IMAGE_FILE_BYTES: u64 = 20 << 20;

/// Pixels of one image at most (40 megapixels: a 7,700 × 5,200 photo).
pub const MAX_IMAGE_PIXELS: u64 = 40_000_000;

/// Memory one decoded image may take at most (40 megapixels of 8-bit RGBA).
pub const MAX_IMAGE_DECODED_BYTES: u64 = 160_000_000;

/// Bytes needed to read an image's header: its size is found in the first
/// few bytes, except in JPEG files whose metadata comes first.
const HEADER_BYTES: u64 = 1 << 20;

/// An image format the outputs accept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageFormat {
    Png,
    Jpeg,
    Gif,
    Webp,
}

/// What an image's header says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImageInfo {
    pub format: ImageFormat,
    pub width: u32,
    pub height: u32,
    /// Bytes the decoded bitmap takes (width × height × bytes per pixel).
    pub decoded_bytes: u64,
}

/// Why an image is refused, in Chinese (without the image's name).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImageProblem {
    /// Not a PNG, JPEG, GIF or WebP image, or its header is damaged.
    Unreadable,
    /// Over one of the limits: the message says which.
    TooLarge(String),
    /// The decoder refused it (its message).
    Damaged(String),
}

impl ImageProblem {
    pub fn message(&self) -> String {
        match self {
            ImageProblem::Unreadable => "无法读取或不是 PNG/JPEG/GIF/WebP 图片".to_string(),
            ImageProblem::TooLarge(m) => m.clone(),
            ImageProblem::Damaged(m) => format!("图片数据有误（{m}）"),
        }
    }
}

/// Read an image's header from its first bytes and check it against the
/// limits. Nothing is decoded.
pub fn probe_image(bytes: &[u8]) -> Result<ImageInfo, ImageProblem> {
    let format = match imagesize::image_type(bytes) {
        Ok(imagesize::ImageType::Png) => ImageFormat::Png,
        Ok(imagesize::ImageType::Jpeg) => ImageFormat::Jpeg,
        Ok(imagesize::ImageType::Gif) => ImageFormat::Gif,
        Ok(imagesize::ImageType::Webp) => ImageFormat::Webp,
        _ => return Err(ImageProblem::Unreadable),
    };
    let size = imagesize::blob_size(bytes).map_err(|_| ImageProblem::Unreadable)?;
    let (w, h) = (size.width as u64, size.height as u64);
    if w == 0 || h == 0 || w > u64::from(u32::MAX) || h > u64::from(u32::MAX) {
        return Err(ImageProblem::Unreadable);
    }
    // Bytes per pixel of the decoded bitmap: PNG says (channels × depth);
    // the others decode to at most 8-bit RGBA.
    let per_pixel = match format {
        ImageFormat::Png => png_bytes_per_pixel(bytes).unwrap_or(8),
        _ => 4,
    };
    let decoded_bytes = check_dimensions(w, h, per_pixel)?;
    Ok(ImageInfo {
        format,
        width: w as u32,
        height: h as u32,
        decoded_bytes,
    })
}

/// `w` × `h` pixels of `per_pixel` bytes against the pixel and decoded
/// bytes limits: the bytes of the bitmap, or why it is refused.
pub fn check_dimensions(w: u64, h: u64, per_pixel: u64) -> Result<u64, ImageProblem> {
    let pixels = w.saturating_mul(h);
    let decoded_bytes = pixels.saturating_mul(per_pixel);
    if pixels > MAX_IMAGE_PIXELS {
        let about = if pixels >= 100_000_000 {
            format!("约 {:.1} 亿像素", pixels as f64 / 1e8)
        } else {
            format!("约 {} 万像素", pixels / 10_000)
        };
        return Err(ImageProblem::TooLarge(format!(
            "图片有 {w} × {h} 像素（{about}），超过了 {} 万像素的上限",
            MAX_IMAGE_PIXELS / 10_000
        )));
    }
    if decoded_bytes > MAX_IMAGE_DECODED_BYTES {
        return Err(ImageProblem::TooLarge(format!(
            "图片 {w} × {h} 像素、每像素 {per_pixel} 字节，解码后要占 {} MB 内存，超过了 {} MB 的上限",
            decoded_bytes >> 20,
            MAX_IMAGE_DECODED_BYTES / 1_000_000
        )));
    }
    Ok(decoded_bytes)
}

/// Bytes per pixel of a PNG's bitmap, from its IHDR (colour type, depth).
fn png_bytes_per_pixel(b: &[u8]) -> Option<u64> {
    if b.get(12..16)? != b"IHDR" {
        return None;
    }
    let depth = u64::from(*b.get(24)?);
    let channels = match *b.get(25)? {
        0 => 1, // grey
        2 => 3, // RGB
        3 => 1, // palette (decoded to RGB(A) by some decoders: see below)
        4 => 2, // grey + alpha
        6 => 4, // RGBA
        _ => return None,
    };
    // Decoders expand palettes and low depths to 8-bit RGBA: count at
    // least that, and 16-bit channels at their full width.
    Some((channels * depth.max(8) / 8).max(4))
}

/// [`probe_image`] on a file: its size first (a huge file is not read), then
/// its header (only the first megabyte is read).
pub fn probe_image_file(path: &Path) -> Result<ImageInfo, ImageProblem> {
    use std::io::Read;
    let meta = std::fs::metadata(path).map_err(|_| ImageProblem::Unreadable)?;
    check_image_file_size(meta.len())?;
    let mut file = std::fs::File::open(path).map_err(|_| ImageProblem::Unreadable)?;
    let mut head = Vec::new();
    (&mut file)
        .take(HEADER_BYTES)
        .read_to_end(&mut head)
        .map_err(|_| ImageProblem::Unreadable)?;
    match probe_image(&head) {
        // A JPEG with more metadata than that: read the rest (the file's
        // size is within the limit).
        Err(ImageProblem::Unreadable) if head.len() as u64 == HEADER_BYTES => {
            file.read_to_end(&mut head)
                .map_err(|_| ImageProblem::Unreadable)?;
            probe_image(&head)
        }
        r => r,
    }
}

/// An image file of `len` bytes is not read when it is over the limit.
pub fn check_image_file_size(len: u64) -> Result<(), ImageProblem> {
    if len > MAX_IMAGE_FILE_BYTES {
        return Err(ImageProblem::TooLarge(format!(
            "图片文件有 {:.1} MB，超过了 {} MB 的上限",
            len as f64 / 1048576.0,
            MAX_IMAGE_FILE_BYTES >> 20
        )));
    }
    Ok(())
}

/// The hint for an image over a limit.
pub const IMAGE_TOO_LARGE_HINT: &str =
    "刊物图片用不着这么大：请用看图软件把图片缩小到 2000 像素宽以内、另存为 JPEG 后再引用";

#[cfg(test)]
mod tests {
    use super::*;

    /// A PNG signature and IHDR chunk of `w` × `h` (CRC not checked here).
    fn png_header(w: u32, h: u32, depth: u8, colour: u8) -> Vec<u8> {
        let mut b = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
        b.extend(w.to_be_bytes());
        b.extend(h.to_be_bytes());
        b.extend([depth, colour, 0, 0, 0, 0, 0, 0, 0]);
        b
    }

    #[test]
    fn small_images_pass_and_large_ones_are_refused() {
        let ok = probe_image(&png_header(2000, 1500, 8, 2)).unwrap();
        assert_eq!(
            (ok.width, ok.height, ok.decoded_bytes),
            (2000, 1500, 12_000_000)
        );
        let e = probe_image(&png_header(100_000, 100_000, 8, 6)).unwrap_err();
        assert!(e.message().contains("万像素"), "{e:?}");
        // 30 megapixels of 16-bit RGBA: under the pixel cap, over the bytes cap.
        let e = probe_image(&png_header(6000, 5000, 16, 6)).unwrap_err();
        assert!(e.message().contains("解码后"), "{e:?}");
        assert_eq!(probe_image(b"not an image"), Err(ImageProblem::Unreadable));
        assert_eq!(
            probe_image(&png_header(0, 10, 8, 2)),
            Err(ImageProblem::Unreadable)
        );
    }
}
