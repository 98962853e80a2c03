//! Walking paged lists to the end: a Rust iterator, and the `all_pages` option of `jogg_call`.
//!
//! The paged operations disagree on how they say "no more" (D29): a `total`, a `has_more`
//! flag, a `pagination.total_pages`, or nothing at all. A page shorter than the page size
//! ends the walk whatever the operation says, so no shape can make it loop forever.

use std::marker::PhantomData;

use serde::de::DeserializeOwned;
use serde_json::{Map, Value, json};

use crate::client::Client;
use crate::error::{Error, ErrorKind, Result};
use crate::operation::Operation;

/// Pages fetched at most by one walk: a guard against a server that never says "last".
const MAX_PAGES: i64 = 10_000;
/// The most page data (`data` as sent, summed over the pages) that `all_pages` gathers into
/// one reply: 64 MiB. Past it the call fails rather than grow without bound.
pub const ALL_PAGES_MAX_BYTES: u64 = 64 * 1024 * 1024;
/// The page size a walk asks for when the caller does not set one (the API's maximum).
const WALK_PAGE_SIZE: i64 = 100;

/// An iterator over every item of a paged list, fetching pages as it goes. Yields `Err`
/// once (then ends) if a page cannot be fetched or decoded.
pub struct Items<'a, T> {
    walk: Walk<'a>,
    buffer: std::vec::IntoIter<Value>,
    failed: bool,
    _item: PhantomData<T>,
}

impl<T: DeserializeOwned> Iterator for Items<'_, T> {
    type Item = Result<T>;

    fn next(&mut self) -> Option<Result<T>> {
        if self.failed {
            return None;
        }
        loop {
            if let Some(v) = self.buffer.next() {
                let item = serde_json::from_value(v).map_err(|e| {
                    self.failed = true;
                    Error::new(
                        ErrorKind::BadResponse,
                        format!("{}: unexpected item shape: {e}", self.walk.op.full_name()),
                    )
                });
                return Some(self.walk.client.scrubbed(item));
            }
            match self.walk.next_page()? {
                Ok(items) => self.buffer = items.into_iter(),
                Err(e) => {
                    self.failed = true;
                    return Some(Err(e));
                }
            }
        }
    }
}

/// The page-by-page state shared by [`Items`] and [`all_pages`].
struct Walk<'a> {
    client: &'a Client,
    op: &'static Operation,
    params: Map<String, Value>,
    member: &'static str,
    page: i64,
    page_size: i64,
    seen: u64,
    /// Bytes of page data fetched so far, as sent.
    bytes: u64,
    done: bool,
}

impl Walk<'_> {
    fn new<'a>(client: &'a Client, op: &'static Operation, params: &Value) -> Result<Walk<'a>> {
        let member = op.items.ok_or_else(|| {
            Error::validation(
                "all_pages",
                format!("{} is not a paged list", op.full_name()),
            )
        })?;
        let mut params = match params {
            Value::Object(m) => m.clone(),
            Value::Null => Map::new(),
            other => {
                return Err(Error::validation(
                    "request",
                    format!("must be a JSON object (got {other})"),
                ));
            }
        };
        let page = params.remove("page").and_then(|v| v.as_i64()).unwrap_or(1);
        let page_size = params
            .get("page_size")
            .and_then(Value::as_i64)
            .unwrap_or(WALK_PAGE_SIZE);
        params.insert("page_size".into(), json!(page_size));
        Ok(Walk {
            client,
            op,
            params,
            member,
            page,
            page_size,
            seen: 0,
            bytes: 0,
            done: false,
        })
    }

    /// The next page's items, `None` once the list is exhausted.
    fn next_page(&mut self) -> Option<Result<Vec<Value>>> {
        if self.done {
            return None;
        }
        let mut params = self.params.clone();
        params.insert("page".into(), json!(self.page));
        let reply = match self
            .client
            .execute_raw(self.op, &Value::Object(params))
            .and_then(|raw| {
                self.bytes += raw.data.len() as u64;
                self.client.scrubbed(raw.parse())
            }) {
            Ok(r) => r,
            Err(e) => {
                self.done = true;
                return Some(Err(e));
            }
        };
        let items = match reply.data.get(self.member) {
            Some(Value::Array(items)) => items.clone(),
            None | Some(Value::Null) => Vec::new(),
            Some(_) => {
                self.done = true;
                return Some(Err(Error::new(
                    ErrorKind::BadResponse,
                    format!("{}: `{}` is not a list", self.op.full_name(), self.member),
                )));
            }
        };
        self.seen += items.len() as u64;
        self.done = items.len() < self.page_size as usize
            || self.page >= MAX_PAGES
            || last_page(&reply.data, self.page, self.seen);
        self.page += 1;
        Some(Ok(items))
    }
}

/// Whether the page says it is the last, in any of the shapes the API uses.
fn last_page(data: &Value, page: i64, seen: u64) -> bool {
    if data.get("has_more").and_then(Value::as_bool) == Some(false) {
        return true;
    }
    if let Some(total) = data.get("total").and_then(Value::as_u64) {
        return seen >= total;
    }
    let pagination = data.get("pagination");
    if let Some(pages) = pagination
        .and_then(|p| p.get("total_pages"))
        .and_then(Value::as_i64)
    {
        return page >= pages;
    }
    false
}

impl Client {
    /// Every item of a paged list operation (by name, as [`Client::call`] takes it), fetched
    /// page by page as the iterator advances (100 per page unless `params` sets `page_size`;
    /// from `page` 1 unless set).
    ///
    /// ```
    /// # let mock = jogg_mock::MockServer::start(Default::default()).unwrap();
    /// # let mut config = jogg::Config::new(jogg_mock::MOCK_API_KEY).with_base_url(mock.base_url());
    /// # config.proxy = jogg::Proxy::None;
    /// # let client = jogg::Client::new(config)?;
    /// let params = serde_json::json!({"language": "english"});
    /// for voice in client.paginate::<jogg::Voice>("v1.list_voices", &params)? {
    ///     println!("{}", voice?.voice_id);
    /// }
    /// # Ok::<(), jogg::Error>(())
    /// ```
    pub fn paginate<T: DeserializeOwned>(
        &self,
        operation: &str,
        params: &Value,
    ) -> Result<Items<'_, T>> {
        let op = crate::operations::lookup(operation)?;
        Ok(Items {
            walk: Walk::new(self, op, params)?,
            buffer: Vec::new().into_iter(),
            failed: false,
            _item: PhantomData,
        })
    }
}

/// `jogg_call` with `"all_pages": true`: every page's items in one list, under the
/// operation's usual member, with `pages` (how many were fetched). Fails with
/// [`ErrorKind::BodyTooLarge`] (field `all_pages`) once the pages hold more than
/// [`ALL_PAGES_MAX_BYTES`].
pub(crate) fn all_pages(client: &Client, op: &'static Operation, params: &Value) -> Result<Value> {
    let mut walk = Walk::new(client, op, params)?;
    let mut all = Vec::new();
    let mut pages = 0u64;
    while let Some(items) = walk.next_page() {
        let items = items?;
        pages += 1;
        // Checked before the page joins the others: the reply never holds more.
        if walk.bytes > ALL_PAGES_MAX_BYTES {
            let mut e = Error::new(
                ErrorKind::BodyTooLarge,
                format!(
                    "all_pages: {pages} pages of {} hold {} bytes, over the limit of \
                     {ALL_PAGES_MAX_BYTES} bytes; fetch the pages one by one instead",
                    op.full_name(),
                    walk.bytes
                ),
            );
            e.0.field = Some("all_pages".into());
            return Err(e);
        }
        all.extend(items);
    }
    let mut out = Map::new();
    out.insert(walk.member.to_string(), Value::Array(all));
    out.insert("pages".into(), json!(pages));
    Ok(Value::Object(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn last_page_shapes() {
        assert!(last_page(&json!({"has_more": false}), 1, 5));
        assert!(!last_page(&json!({"has_more": true}), 1, 5));
        assert!(last_page(&json!({"total": 5}), 1, 5));
        assert!(!last_page(&json!({"total": 6}), 1, 5));
        assert!(last_page(&json!({"pagination": {"total_pages": 2}}), 2, 5));
        assert!(!last_page(&json!({}), 7, 5));
    }

    #[test]
    fn paged_operations_take_page_params() {
        for op in crate::operations::OPERATIONS {
            if op.items.is_some() {
                assert!(op.schema.field("page").is_some(), "{}", op.full_name());
                assert!(op.schema.field("page_size").is_some(), "{}", op.full_name());
            }
        }
    }
}
