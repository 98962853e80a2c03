//! Value sets shared by several operations (REFERENCE §2), as Rust enums so a typed request
//! cannot hold a value the API would refuse.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Declares an enum that travels as an integer, with a lenient decoder (int or numeric string).
macro_rules! int_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $value:expr),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vmeta])* $variant),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_i64(self) -> i64 {
                match self { $($name::$variant => $value),+ }
            }

            pub fn from_i64(v: i64) -> Option<$name> {
                match v { $($value => Some($name::$variant),)+ _ => None }
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_i64(self.as_i64())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let v = crate::de::lenient_i64(d)?;
                $name::from_i64(v).ok_or_else(|| {
                    serde::de::Error::custom(format!(concat!("unknown ", stringify!($name), " {}"), v))
                })
            }
        }
    };
}

int_enum! {
    /// Frame shape. v1 sends the number; v2 requests use words (`portrait`...).
    AspectRatio {
        /// 9:16
        Portrait = 0,
        /// 16:9
        Landscape = 1,
        /// 1:1
        Square = 2,
    }
}

int_enum! {
    /// How the avatar is composed (D22 gives both label sets the docs use).
    ScreenStyle {
        /// With its background ("full screen").
        Normal = 1,
        /// On a green screen, MP4.
        GreenScreen = 2,
        /// Transparent WebM with alpha; needs `caption: false`.
        Transparent = 3,
    }
}

int_enum! {
    /// Whose avatar: the library's, or one of yours (instant or photo avatar).
    AvatarType {
        Public = 0,
        Custom = 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn int_enums_round_trip_and_accept_numeric_strings() {
        assert_eq!(serde_json::to_value(AspectRatio::Square).unwrap(), json!(2));
        let a: AspectRatio = serde_json::from_value(json!("1")).unwrap();
        assert_eq!(a, AspectRatio::Landscape);
        assert!(serde_json::from_value::<ScreenStyle>(json!(0)).is_err());
        for s in ScreenStyle::ALL {
            assert_eq!(ScreenStyle::from_i64(s.as_i64()), Some(*s));
        }
    }
}
