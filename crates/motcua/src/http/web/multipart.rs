//! A small `multipart/form-data` reader for the no-JavaScript upload forms (RFC 7578): fields and files, buffered.

/// One part of a form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    pub name: String,
    pub file_name: Option<String>,
    pub content_type: Option<String>,
    pub data: Vec<u8>,
}

/// The boundary of a `multipart/form-data` content type.
pub fn boundary(content_type: &str) -> Option<String> {
    let (kind, params) = content_type.split_once(';')?;
    if !kind.trim().eq_ignore_ascii_case("multipart/form-data") {
        return None;
    }
    params.split(';').find_map(|p| {
        let (k, v) = p.trim().split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case("boundary")
            .then(|| v.trim().trim_matches('"').to_owned())
            .filter(|b| !b.is_empty() && b.len() <= 70)
    })
}

fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    if needle.is_empty() || hay.len() < needle.len() {
        return None;
    }
    (from..=hay.len() - needle.len()).find(|&i| hay[i..].starts_with(needle))
}

/// A parameter (`name="…"`) of a Content-Disposition header.
fn param(header: &str, key: &str) -> Option<String> {
    let mut rest = header;
    while let Some(i) = rest.find(key) {
        let before = rest[..i].chars().last();
        let after = &rest[i + key.len()..];
        if matches!(before, Some(' ' | ';')) {
            if let Some(v) = after.strip_prefix("=\"") {
                return v.find('"').map(|end| v[..end].to_owned());
            }
            if let Some(v) = after.strip_prefix('=') {
                return Some(v.split(';').next().unwrap_or("").trim().to_owned());
            }
        }
        rest = after;
    }
    None
}

/// Splits a body into its parts; `None` when it is not well formed.
pub fn parse(body: &[u8], boundary: &str) -> Option<Vec<Part>> {
    let delim = format!("--{boundary}");
    let delim = delim.as_bytes();
    let mut pos = find(body, delim, 0)? + delim.len();
    let mut parts = Vec::new();
    loop {
        if body[pos..].starts_with(b"--") {
            return Some(parts);
        }
        pos += if body[pos..].starts_with(b"\r\n") {
            2
        } else {
            return None;
        };
        let head_end = find(body, b"\r\n\r\n", pos)?;
        let head = std::str::from_utf8(&body[pos..head_end]).ok()?;
        let data_start = head_end + 4;
        let next = find(body, &[b"\r\n", delim].concat(), data_start)?;
        let mut name = None;
        let mut file_name = None;
        let mut content_type = None;
        for line in head.split("\r\n") {
            let Some((k, v)) = line.split_once(':') else {
                continue;
            };
            if k.trim().eq_ignore_ascii_case("content-disposition") {
                let v = format!(" {}", v.trim());
                name = param(&v, "name");
                file_name = param(&v, "filename");
            } else if k.trim().eq_ignore_ascii_case("content-type") {
                content_type = Some(v.trim().to_owned());
            }
        }
        parts.push(Part {
            name: name?,
            file_name,
            content_type,
            data: body[data_start..next].to_vec(),
        });
        pos = next + 2 + delim.len();
    }
}

/// The text of a field, if present and UTF-8.
pub fn text<'a>(parts: &'a [Part], name: &str) -> Option<&'a str> {
    parts
        .iter()
        .find(|p| p.name == name && p.file_name.is_none())
        .and_then(|p| std::str::from_utf8(&p.data).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_and_files() {
        let ct = "multipart/form-data; boundary=----x7";
        let b = boundary(ct).expect("boundary");
        let body = b"------x7\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\nabc\r\n------x7\r\nContent-Disposition: form-data; name=\"file\"; filename=\"t\xE1\xBB\x9D khai.pdf\"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4\r\n\r\nbody\r\n------x7--\r\n";
        let parts = parse(body, &b).expect("parts");
        assert_eq!(parts.len(), 2);
        assert_eq!(text(&parts, "csrf"), Some("abc"));
        assert_eq!(parts[1].file_name.as_deref(), Some("tờ khai.pdf"));
        assert_eq!(parts[1].content_type.as_deref(), Some("application/pdf"));
        assert_eq!(parts[1].data, b"%PDF-1.4\r\n\r\nbody");
        assert_eq!(text(&parts, "file"), None, "a file is not a text field");
    }

    #[test]
    fn malformed_is_none() {
        assert_eq!(boundary("application/x-www-form-urlencoded"), None);
        assert_eq!(parse(b"no boundary here", "x"), None);
        assert_eq!(
            parse(
                b"--x\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nunterminated",
                "x"
            ),
            None
        );
        assert_eq!(
            parse(b"--x\r\nContent-Type: text/plain\r\n\r\nv\r\n--x--", "x"),
            None,
            "a part without a name"
        );
    }
}
