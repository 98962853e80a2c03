//! Value sets shared by several operations (api-notes §2), as Rust enums so a typed request
//! cannot hold a value the API would refuse. Each is declared once and used by both API
//! versions; the modules of the operations that take one re-export it.

use std::borrow::Cow;

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

/// Declares an enum that travels as one word of a closed set. `WORDS` lists the words in
/// declaration order: the operation schemas check requests against it, and name the words
/// in that order when they refuse one.
macro_rules! word_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $word:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum $name {
            $($(#[$vmeta])* #[serde(rename = $word)] $variant),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The wire words, in the order of [`Self::ALL`].
            pub const WORDS: &'static [&'static str] = &[$($word),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $word),+ }
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

word_enum! {
    /// Frame shape as v2 requests and query filters spell it; v2 responses still carry the
    /// integers of [`AspectRatio`] (api-notes §2.1, D21).
    Orientation {
        /// 9:16
        Portrait = "portrait",
        /// 16:9
        Landscape = "landscape",
        /// 1:1
        Square = "square",
    }
}

impl From<Orientation> for AspectRatio {
    fn from(o: Orientation) -> AspectRatio {
        match o {
            Orientation::Portrait => AspectRatio::Portrait,
            Orientation::Landscape => AspectRatio::Landscape,
            Orientation::Square => AspectRatio::Square,
        }
    }
}

impl From<AspectRatio> for Orientation {
    fn from(a: AspectRatio) -> Orientation {
        match a {
            AspectRatio::Portrait => Orientation::Portrait,
            AspectRatio::Landscape => Orientation::Landscape,
            AspectRatio::Square => Orientation::Square,
        }
    }
}

word_enum! {
    /// The library-avatar and voice gender filter (lowercase on the wire). The v1 schemas
    /// list the two words the other way round, and keep that order in their messages.
    Gender {
        Female = "female",
        Male = "male",
    }
}

word_enum! {
    /// A library avatar's presentation style (the avatar filters of v1 and v2).
    AvatarStyle {
        Professional = "professional",
        Social = "social",
    }
}

word_enum! {
    /// A library avatar's apparent age (the avatar filters of v1 and v2).
    AvatarAge {
        Adult = "adult",
        Senior = "senior",
        YoungAdult = "young_adult",
    }
}

word_enum! {
    /// Where a library avatar was filmed (the avatar filters of v1 and v2).
    Scene {
        Lifestyle = "lifestyle",
        Outdoors = "outdoors",
        Business = "business",
        Studio = "studio",
        HealthFitness = "health_fitness",
        Education = "education",
        News = "news",
    }
}

word_enum! {
    /// A library avatar's ethnicity (the avatar filters of v1 and v2).
    Ethnicity {
        European = "european",
        African = "african",
        SouthAsian = "south_asian",
        EastAsian = "east_asian",
        MiddleEastern = "middle_eastern",
        SouthAmerican = "south_american",
        NorthAmerican = "north_american",
    }
}

word_enum! {
    /// The voice age filter (the voice lists of v1 and v2).
    VoiceAge {
        Young = "young",
        MiddleAged = "middle_aged",
        Old = "old",
    }
}

word_enum! {
    /// How long a product video or script runs, in seconds; sent as the strings `"15"`,
    /// `"30"`, `"60"` (v1 product videos and scripts, v2 scripts and product videos).
    VideoLength {
        Seconds15 = "15",
        Seconds30 = "30",
        Seconds60 = "60",
    }
}

/// The writing style of a product video's script. An open set (D25): the two API versions
/// list different styles and the script generator answers with styles of its own (even
/// `Storytime.`), so any string is sent as given and nothing is checked before sending. The
/// constants are the sixteen styles the v1 spec lists and the six of the v2 spec (four of
/// them in both).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ScriptStyle(pub Cow<'static, str>);

impl ScriptStyle {
    /// Reassuring (v1 and v2).
    pub const DONT_WORRY: ScriptStyle = ScriptStyle::known("Don't Worry");
    /// A reveal (v1 and v2).
    pub const DISCOVERY: ScriptStyle = ScriptStyle::known("Discovery");
    /// Facts and figures (v1 and v2).
    pub const DATA: ScriptStyle = ScriptStyle::known("Data");
    /// A list of reasons (v1 and v2).
    pub const TOP_3_REASONS: ScriptStyle = ScriptStyle::known("Top 3 reasons");
    pub const SOFT_SELLING: ScriptStyle = ScriptStyle::known("Soft Selling");
    pub const HUMOR_AND_MEME: ScriptStyle = ScriptStyle::known("Humor & Meme");
    pub const FEATURE_EXPLAINER: ScriptStyle = ScriptStyle::known("Feature Explainer");
    pub const SOFT_STORYTELLING_WITH_TWIST: ScriptStyle =
        ScriptStyle::known("Soft Storytelling with Twist");
    pub const EXPERT_ADVICE: ScriptStyle = ScriptStyle::known("Expert Advice");
    pub const UNBOXING_AND_REVIEW: ScriptStyle = ScriptStyle::known("Unboxing & Review");
    pub const CHALLENGE: ScriptStyle = ScriptStyle::known("Challenge");
    pub const PROBLEM_SOLUTION: ScriptStyle = ScriptStyle::known("Problem/Solution");
    pub const COMPARISON: ScriptStyle = ScriptStyle::known("Comparison");
    pub const CREATIVE_INNOVATIVE: ScriptStyle = ScriptStyle::known("Creative/Innovative");
    pub const EMOTIONAL_APPEAL: ScriptStyle = ScriptStyle::known("Emotional Appeal");
    pub const IMMERSIVE_STORYTELLING: ScriptStyle = ScriptStyle::known("Immersive Storytelling");
    /// Narrative (a v2 style, also returned by the v1 script generator).
    pub const STORYTIME: ScriptStyle = ScriptStyle::known("Storytime");
    /// A soft sell (a v2 style, also returned by the v1 script generator).
    pub const LIGHT_MARKETING: ScriptStyle = ScriptStyle::known("Light marketing");

    const fn known(name: &'static str) -> ScriptStyle {
        ScriptStyle(Cow::Borrowed(name))
    }

    /// Any style name, sent as given.
    pub fn new(name: impl Into<String>) -> ScriptStyle {
        ScriptStyle(Cow::Owned(name.into()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl From<&str> for ScriptStyle {
    fn from(s: &str) -> ScriptStyle {
        ScriptStyle::new(s)
    }
}

word_enum! {
    /// Whether a webhook endpoint receives deliveries (v1 and v2). `Disabled` pauses them and
    /// keeps the settings.
    EndpointStatus {
        Enabled = "enabled",
        Disabled = "disabled",
    }
}

// The AI person of photo-avatar generation (v1 and v2 alike): capitalised words, exact case
// (D27).

word_enum! {
    /// Apparent age of a generated person.
    PhotoAge {
        Teenager = "Teenager",
        YoungAdult = "Young adult",
        Adult = "Adult",
        Elderly = "Elderly",
    }
}

word_enum! {
    PhotoStyle {
        Professional = "Professional",
        Social = "Social",
    }
}

word_enum! {
    PhotoGender {
        Female = "Female",
        Male = "Male",
    }
}

word_enum! {
    PhotoEthnicity {
        European = "European",
        African = "African",
        SouthAsian = "South Asian",
        EastAsian = "East Asian",
        MiddleEastern = "Middle Eastern",
        SouthAmerican = "South American",
        NorthAmerican = "North American",
    }
}

word_enum! {
    /// The image model that draws the portraits.
    PhotoModel {
        Classic = "classic",
        Modern = "modern",
    }
}

word_enum! {
    /// The motion model that animates a photo into an avatar (priced differently:
    /// api-notes §10).
    MotionModel {
        V1_0 = "1.0",
        V2_0 = "2.0",
        V2_0Pro = "2.0-Pro",
        V3_0 = "3.0",
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

    /// Every variant travels as its word, and `WORDS` is in the order of `ALL`.
    fn words_round_trip<T>(all: &[T], words: &[&str], as_str: fn(T) -> &'static str)
    where
        T: Copy + PartialEq + std::fmt::Debug + Serialize + serde::de::DeserializeOwned,
    {
        assert_eq!(all.len(), words.len());
        for (v, w) in all.iter().zip(words) {
            assert_eq!(serde_json::to_value(v).unwrap(), json!(w));
            assert_eq!(as_str(*v), *w);
            assert_eq!(serde_json::from_value::<T>(json!(w)).unwrap(), *v);
        }
    }

    #[test]
    fn word_enums_travel_as_their_words() {
        words_round_trip(Orientation::ALL, Orientation::WORDS, Orientation::as_str);
        words_round_trip(Gender::ALL, Gender::WORDS, Gender::as_str);
        words_round_trip(AvatarStyle::ALL, AvatarStyle::WORDS, AvatarStyle::as_str);
        words_round_trip(AvatarAge::ALL, AvatarAge::WORDS, AvatarAge::as_str);
        words_round_trip(Scene::ALL, Scene::WORDS, Scene::as_str);
        words_round_trip(Ethnicity::ALL, Ethnicity::WORDS, Ethnicity::as_str);
        words_round_trip(VoiceAge::ALL, VoiceAge::WORDS, VoiceAge::as_str);
        words_round_trip(VideoLength::ALL, VideoLength::WORDS, VideoLength::as_str);
        words_round_trip(PhotoAge::ALL, PhotoAge::WORDS, PhotoAge::as_str);
        words_round_trip(PhotoStyle::ALL, PhotoStyle::WORDS, PhotoStyle::as_str);
        words_round_trip(PhotoGender::ALL, PhotoGender::WORDS, PhotoGender::as_str);
        words_round_trip(
            PhotoEthnicity::ALL,
            PhotoEthnicity::WORDS,
            PhotoEthnicity::as_str,
        );
        words_round_trip(PhotoModel::ALL, PhotoModel::WORDS, PhotoModel::as_str);
        words_round_trip(MotionModel::ALL, MotionModel::WORDS, MotionModel::as_str);
        words_round_trip(
            EndpointStatus::ALL,
            EndpointStatus::WORDS,
            EndpointStatus::as_str,
        );
        assert!(serde_json::from_value::<Gender>(json!("Female")).is_err());
    }

    #[test]
    fn orientation_converts_to_and_from_the_integer_form() {
        for (o, a) in Orientation::ALL.iter().zip(AspectRatio::ALL) {
            assert_eq!(AspectRatio::from(*o), *a);
            assert_eq!(Orientation::from(*a), *o);
        }
    }

    #[test]
    fn script_styles_are_open() {
        assert_eq!(
            serde_json::to_value(ScriptStyle::DONT_WORRY).unwrap(),
            json!("Don't Worry")
        );
        let mine: ScriptStyle = "Mine".into();
        assert_eq!(mine, ScriptStyle::new("Mine"));
        assert_eq!(
            serde_json::from_value::<ScriptStyle>(json!("Storytime."))
                .unwrap()
                .as_str(),
            "Storytime."
        );
    }
}
