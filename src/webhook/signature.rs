//! The signature of a webhook delivery: the lowercase hex HMAC-SHA256 of the raw body, keyed
//! with the endpoint's secret (api-notes §8, D53), made and checked.

use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::error::{Error, ErrorKind, Result};

type HmacSha256 = Hmac<Sha256>;

/// The header carrying the signature.
pub const SIGNATURE_HEADER: &str = "X-Webhook-Signature";

fn mac(secret: &[u8]) -> Result<HmacSha256> {
    if secret.is_empty() {
        return Err(Error::validation(
            "secret",
            "must not be empty (it is the endpoint's `secret`)",
        ));
    }
    // HMAC takes keys of any length, so this cannot fail; no panic either way.
    HmacSha256::new_from_slice(secret)
        .map_err(|e| Error::new(ErrorKind::Internal, format!("HMAC key rejected: {e}")))
}

/// The signature Jogg sends for `body`: lowercase hex HMAC-SHA256 with the endpoint secret.
/// For testing a receiver with deliveries of your own.
pub fn sign(body: &[u8], secret: impl AsRef<[u8]>) -> String {
    // An empty key signs too (HMAC allows it); only verification insists on a real secret.
    let mut m = <HmacSha256 as Mac>::new_from_slice(secret.as_ref())
        .unwrap_or_else(|_| unreachable!("HMAC accepts keys of any length"));
    m.update(body);
    m.finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn signature_error(message: impl Into<String>) -> Error {
    let mut e = Error::new(
        ErrorKind::Signature,
        format!("signature: {}", message.into()),
    );
    e.0.field = Some("signature".into());
    e
}

/// 64 hex digits (either case) to the 32 digest bytes.
fn decode_hex(signature: &str) -> Result<[u8; 32]> {
    let digits = signature.as_bytes();
    if digits.len() != 64 {
        return Err(signature_error(format!(
            "malformed: expected 64 hex digits, got {} characters",
            signature.chars().count()
        )));
    }
    let mut out = [0u8; 32];
    for (i, pair) in digits.chunks_exact(2).enumerate() {
        let hi = (pair[0] as char).to_digit(16);
        let lo = (pair[1] as char).to_digit(16);
        match (hi, lo) {
            (Some(hi), Some(lo)) => out[i] = (hi * 16 + lo) as u8,
            _ => return Err(signature_error("malformed: not hexadecimal")),
        }
    }
    Ok(out)
}

/// Checks that `signature` (the `X-Webhook-Signature` header, `None` when absent) is the
/// HMAC-SHA256 of `body` under `secret`. Hex digits may be in either case; surrounding
/// whitespace is ignored. The comparison takes the same time wherever the digests differ.
///
/// A missing, malformed or wrong signature is [`ErrorKind::Signature`]: answer 401 and drop the
/// delivery. An empty secret is [`ErrorKind::Validation`].
pub fn verify(body: &[u8], signature: Option<&str>, secret: impl AsRef<[u8]>) -> Result<()> {
    let mut m = mac(secret.as_ref())?;
    let signature = signature.ok_or_else(|| {
        signature_error(format!(
            "missing: the request has no {SIGNATURE_HEADER} header"
        ))
    })?;
    let expected = decode_hex(signature.trim())?;
    m.update(body);
    m.verify_slice(&expected)
        .map_err(|_| signature_error("does not match the body and the endpoint secret"))
}

/// [`verify`] against several secrets: passes if one of them signed `body`. Every secret is
/// tried, whichever matches, so the time taken does not say which one did (nor how close a
/// forgery came). No secret at all is [`ErrorKind::Signature`] too: nothing can be verified.
pub(crate) fn verify_any<S: AsRef<[u8]>>(
    body: &[u8],
    signature: Option<&str>,
    secrets: &[S],
) -> Result<()> {
    if secrets.is_empty() {
        return Err(signature_error(
            "no webhook secret is known to this client: list it in the config's \
             `webhook_secrets`, or create the endpoint with this client",
        ));
    }
    let signature = signature.ok_or_else(|| {
        signature_error(format!(
            "missing: the request has no {SIGNATURE_HEADER} header"
        ))
    })?;
    let expected = decode_hex(signature.trim())?;
    let mut matched = false;
    for secret in secrets {
        let mut m = mac(secret.as_ref())?;
        m.update(body);
        matched |= m.verify_slice(&expected).is_ok();
    }
    if matched {
        Ok(())
    } else {
        Err(signature_error(
            "does not match the body under any webhook secret this client knows",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_signature_vector() {
        // RFC 4231 test case 2: key "Jefe".
        assert_eq!(
            sign(b"what do ya want for nothing?", "Jefe"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn hex_decoding() {
        assert!(decode_hex(&"ab".repeat(32)).is_ok());
        assert!(decode_hex(&"AB".repeat(32)).is_ok());
        assert!(decode_hex(&"zz".repeat(32)).is_err());
        assert!(decode_hex("abc").is_err());
        // Multi-byte characters never reach the digit parser as half characters.
        assert!(decode_hex(&"é".repeat(32)).is_err());
    }
}
