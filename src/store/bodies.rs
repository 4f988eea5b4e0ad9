//! Article bodies as `article_bodies` holds them: zstd-compressed UTF-8, or plain text for the
//! bodies that migration 0007 moved there as they were.

use sqlx::error::BoxDynError;
use sqlx::sqlite::{SqliteTypeInfo, SqliteValueRef};
use sqlx::{Decode, Sqlite, Type, TypeInfo, ValueRef};

use crate::error::Error;

/// zstd's level for what the store compresses: its default, a third of a text's size at a few
/// hundred MB/s.
const LEVEL: i32 = 3;

/// Bytes compressed for storing: article bodies, and pages as they were received.
pub(super) fn compress(bytes: &[u8]) -> Result<Vec<u8>, Error> {
    Ok(zstd::bulk::compress(bytes, LEVEL)?)
}

/// A body read back, whichever way it was stored. Read into a `String` field with
/// `#[sqlx(try_from = "StoredBody")]`.
pub struct StoredBody(String);

impl From<StoredBody> for String {
    fn from(body: StoredBody) -> Self {
        body.0
    }
}

impl Type<Sqlite> for StoredBody {
    fn type_info() -> SqliteTypeInfo {
        <Vec<u8> as Type<Sqlite>>::type_info()
    }

    fn compatible(ty: &SqliteTypeInfo) -> bool {
        <Vec<u8> as Type<Sqlite>>::compatible(ty) || <String as Type<Sqlite>>::compatible(ty)
    }
}

impl<'r> Decode<'r, Sqlite> for StoredBody {
    fn decode(value: SqliteValueRef<'r>) -> Result<Self, BoxDynError> {
        if value.type_info().name() == "TEXT" {
            return Ok(Self(<String as Decode<Sqlite>>::decode(value)?));
        }
        let compressed = <&[u8] as Decode<Sqlite>>::decode(value)?;
        Ok(Self(String::from_utf8(zstd::decode_all(compressed)?)?))
    }
}
