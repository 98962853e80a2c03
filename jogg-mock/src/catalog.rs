//! Fixed library catalogue (avatars and voices) and the fake media bytes the
//! mock serves for covers, previews and rendered videos.
//!
//! Everything here is deterministic so tests and demos see the same data on
//! every run. The avatar table is built so every value of every `/avatars`
//! filter occurs, and the voice table so that paging is visible
//! (english + female has more than one default page).

use std::sync::OnceLock;

use crate::clock::splitmix64;

/// The values of the `/avatars` filters (api-notes §2.2) the catalogue spreads its avatars
/// over, so that every filter value finds some; the description holds requests to them.
const AVATAR_STYLES: &[&str] = &["professional", "social"];
const AVATAR_AGES: &[&str] = &["adult", "senior", "young_adult"];
const AVATAR_SCENES: &[&str] = &[
    "lifestyle",
    "outdoors",
    "business",
    "studio",
    "health_fitness",
    "education",
    "news",
];
const AVATAR_ETHNICITIES: &[&str] = &[
    "european",
    "african",
    "south_asian",
    "east_asian",
    "middle_eastern",
    "south_american",
    "north_american",
];
/// Id of the first library avatar (the id used in the vendor examples).
const FIRST_AVATAR_ID: i64 = 81;

/// One library avatar. `scene` and `ethnicity` only drive filtering; the v1
/// list response does not contain them.
#[derive(Debug)]
pub(crate) struct Avatar {
    pub(crate) id: i64,
    pub(crate) name: String,
    pub(crate) aspect_ratio: u8,
    pub(crate) style: &'static str,
    pub(crate) gender: &'static str,
    pub(crate) age: &'static str,
    pub(crate) scene: &'static str,
    pub(crate) ethnicity: &'static str,
}

/// People behind the avatars, six per ethnicity in `AVATAR_ETHNICITIES`
/// order, alternating female/male.
const PEOPLE: [&str; 42] = [
    "Amanda",
    "Lukas",
    "Sofia",
    "Henrik",
    "Claire",
    "Matteo", // european
    "Amara",
    "Kwame",
    "Zola",
    "Tunde",
    "Nia",
    "Jabari", // african
    "Priya",
    "Arjun",
    "Ananya",
    "Rohan",
    "Meera",
    "Vikram", // south_asian
    "Mei",
    "Hiroshi",
    "Jiwoo",
    "Wei",
    "Yuna",
    "Kenji", // east_asian
    "Layla",
    "Omar",
    "Yasmin",
    "Karim",
    "Noor",
    "Tariq", // middle_eastern
    "Valentina",
    "Mateo",
    "Camila",
    "Santiago",
    "Lucia",
    "Diego", // south_american
    "Emily",
    "Jake",
    "Madison",
    "Tyler",
    "Hannah",
    "Ethan", // north_american
];

/// The library avatars, built once. Gender follows the alternating names; style, age and
/// aspect ratio take periods 4, 12 and 3 (coprime with the gender/style pair), so every
/// combination of gender, style and aspect ratio, and of gender, style and age, occurs.
pub(crate) fn avatars() -> &'static [Avatar] {
    static AVATARS: OnceLock<Vec<Avatar>> = OnceLock::new();
    AVATARS.get_or_init(|| PEOPLE.iter().enumerate().map(build_avatar).collect())
}

fn build_avatar((index, first_name): (usize, &&'static str)) -> Avatar {
    let scene = AVATAR_SCENES[index % AVATAR_SCENES.len()];
    Avatar {
        id: FIRST_AVATAR_ID + index as i64,
        name: format!("{first_name} {}", scene_phrase(scene)),
        aspect_ratio: (index % 3) as u8,
        style: AVATAR_STYLES[(index / 2) % 2],
        gender: if index % 2 == 0 { "female" } else { "male" },
        age: AVATAR_AGES[(index / 4) % 3],
        scene,
        ethnicity: AVATAR_ETHNICITIES[index / 6],
    }
}

fn scene_phrase(scene: &str) -> &'static str {
    match scene {
        "lifestyle" => "at home",
        "outdoors" => "outdoors",
        "business" => "in the office",
        "studio" => "in the studio",
        "health_fitness" => "at the gym",
        "education" => "in the classroom",
        _ => "at the news desk",
    }
}

/// One library text-to-speech voice.
#[derive(Debug)]
pub(crate) struct Voice {
    pub(crate) name: &'static str,
    pub(crate) voice_id: &'static str,
    pub(crate) language: &'static str,
    pub(crate) gender: &'static str,
    pub(crate) age: &'static str,
}

const fn voice(
    name: &'static str,
    voice_id: &'static str,
    language: &'static str,
    gender: &'static str,
    age: &'static str,
) -> Voice {
    Voice {
        name,
        voice_id,
        language,
        gender,
        age,
    }
}

/// Library voices in list order. English has 14 female voices, so
/// `language=english&gender=female` spans two default-sized pages.
pub(crate) const VOICES: &[Voice] = &[
    voice(
        "Jenny",
        "en-US-JennyNeural",
        "english",
        "female",
        "middle_aged",
    ),
    voice(
        "Christopher",
        "en-US-ChristopherNeural",
        "english",
        "male",
        "middle_aged",
    ),
    voice("Aria", "en-US-AriaNeural", "english", "female", "young"),
    voice("Guy", "en-US-GuyNeural", "english", "male", "middle_aged"),
    voice("Amber", "en-US-AmberNeural", "english", "female", "young"),
    voice("Davis", "en-US-DavisNeural", "english", "male", "young"),
    voice("Ashley", "en-US-AshleyNeural", "english", "female", "young"),
    voice("Eric", "en-US-EricNeural", "english", "male", "middle_aged"),
    voice(
        "Cora",
        "en-US-CoraNeural",
        "english",
        "female",
        "middle_aged",
    ),
    voice("Jacob", "en-US-JacobNeural", "english", "male", "young"),
    voice(
        "Elizabeth",
        "en-US-ElizabethNeural",
        "english",
        "female",
        "old",
    ),
    voice("Tony", "en-US-TonyNeural", "english", "male", "old"),
    voice(
        "Michelle",
        "en-US-MichelleNeural",
        "english",
        "female",
        "middle_aged",
    ),
    voice("Ryan", "en-GB-RyanNeural", "english", "male", "middle_aged"),
    voice(
        "Monica",
        "en-US-MonicaNeural",
        "english",
        "female",
        "middle_aged",
    ),
    voice("William", "en-AU-WilliamNeural", "english", "male", "old"),
    voice("Sara", "en-US-SaraNeural", "english", "female", "young"),
    voice("Nancy", "en-US-NancyNeural", "english", "female", "old"),
    voice(
        "Sonia",
        "en-GB-SoniaNeural",
        "english",
        "female",
        "middle_aged",
    ),
    voice("Libby", "en-GB-LibbyNeural", "english", "female", "young"),
    voice(
        "Natasha",
        "en-AU-NatashaNeural",
        "english",
        "female",
        "middle_aged",
    ),
    voice("Neerja", "en-IN-NeerjaNeural", "english", "female", "young"),
    voice(
        "Elvira",
        "es-ES-ElviraNeural",
        "spanish",
        "female",
        "middle_aged",
    ),
    voice(
        "Alvaro",
        "es-ES-AlvaroNeural",
        "spanish",
        "male",
        "middle_aged",
    ),
    voice("Dalia", "es-MX-DaliaNeural", "spanish", "female", "young"),
    voice("Jorge", "es-MX-JorgeNeural", "spanish", "male", "old"),
    voice(
        "Denise",
        "fr-FR-DeniseNeural",
        "french",
        "female",
        "middle_aged",
    ),
    voice(
        "Henri",
        "fr-FR-HenriNeural",
        "french",
        "male",
        "middle_aged",
    ),
    voice("Sylvie", "fr-CA-SylvieNeural", "french", "female", "old"),
    voice("Antoine", "fr-CA-AntoineNeural", "french", "male", "young"),
    voice(
        "Katja",
        "de-DE-KatjaNeural",
        "german",
        "female",
        "middle_aged",
    ),
    voice("Conrad", "de-DE-ConradNeural", "german", "male", "old"),
    voice("Amala", "de-DE-AmalaNeural", "german", "female", "young"),
    voice("Killian", "de-DE-KillianNeural", "german", "male", "young"),
    voice(
        "Nanami",
        "ja-JP-NanamiNeural",
        "japanese",
        "female",
        "young",
    ),
    voice(
        "Keita",
        "ja-JP-KeitaNeural",
        "japanese",
        "male",
        "middle_aged",
    ),
    voice(
        "Xiaoxiao",
        "zh-CN-XiaoxiaoNeural",
        "chinese",
        "female",
        "young",
    ),
    voice("Yunxi", "zh-CN-YunxiNeural", "chinese", "male", "young"),
    voice(
        "Xiaoyi",
        "zh-CN-XiaoyiNeural",
        "chinese",
        "female",
        "middle_aged",
    ),
    voice(
        "Yunyang",
        "zh-CN-YunyangNeural",
        "chinese",
        "male",
        "middle_aged",
    ),
    voice(
        "HsiaoChen",
        "zh-TW-HsiaoChenNeural",
        "traditional-chinese",
        "female",
        "young",
    ),
    voice(
        "YunJhe",
        "zh-TW-YunJheNeural",
        "traditional-chinese",
        "male",
        "middle_aged",
    ),
    voice(
        "HiuMaan",
        "zh-HK-HiuMaanNeural",
        "cantonese",
        "female",
        "middle_aged",
    ),
    voice("WanLung", "zh-HK-WanLungNeural", "cantonese", "male", "old"),
    voice(
        "Elsa",
        "it-IT-ElsaNeural",
        "italian",
        "female",
        "middle_aged",
    ),
    voice("Diego", "it-IT-DiegoNeural", "italian", "male", "young"),
    voice(
        "Francisca",
        "pt-BR-FranciscaNeural",
        "portuguese",
        "female",
        "young",
    ),
    voice(
        "Antonio",
        "pt-BR-AntonioNeural",
        "portuguese",
        "male",
        "middle_aged",
    ),
    voice("SunHi", "ko-KR-SunHiNeural", "korean", "female", "young"),
    voice(
        "InJoon",
        "ko-KR-InJoonNeural",
        "korean",
        "male",
        "middle_aged",
    ),
    voice(
        "Swara",
        "hi-IN-SwaraNeural",
        "hindi",
        "female",
        "middle_aged",
    ),
    voice(
        "Madhur",
        "hi-IN-MadhurNeural",
        "hindi",
        "male",
        "middle_aged",
    ),
    voice(
        "Zariyah",
        "ar-SA-ZariyahNeural",
        "arabic",
        "female",
        "young",
    ),
    voice("Hamed", "ar-SA-HamedNeural", "arabic", "male", "old"),
    voice(
        "Svetlana",
        "ru-RU-SvetlanaNeural",
        "russian",
        "female",
        "middle_aged",
    ),
    voice("Dmitry", "ru-RU-DmitryNeural", "russian", "male", "old"),
];

/// The voice with id `voice_id`, if it is in the library.
pub(crate) fn find_voice(voice_id: &str) -> Option<&'static Voice> {
    VOICES.iter().find(|voice| voice.voice_id == voice_id)
}

/// The library avatar with decimal id `id`, if any.
pub(crate) fn find_avatar(id: &str) -> Option<&'static Avatar> {
    avatars().iter().find(|avatar| avatar.id.to_string() == id)
}

/// Size of every fake video, in bytes: big enough to look like a download.
const VIDEO_BYTES: usize = 4096;

/// A fake MP4: a real `ftyp` box (so sniffers and `file(1)` say "MP4")
/// followed by an `mdat` box of pseudo-random bytes derived from `seed`, so
/// the same project always downloads the same bytes.
pub(crate) fn fake_mp4(seed: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(VIDEO_BYTES);
    out.extend_from_slice(&32u32.to_be_bytes());
    out.extend_from_slice(b"ftypisom");
    out.extend_from_slice(&0x200u32.to_be_bytes());
    out.extend_from_slice(b"isomiso2avc1mp41");
    let payload = VIDEO_BYTES - out.len() - 8;
    out.extend_from_slice(&((payload + 8) as u32).to_be_bytes());
    out.extend_from_slice(b"mdat");
    out.extend(noise(seed, payload));
    out
}

/// A tiny fake JPEG: SOI, a JFIF APP0 segment, a comment naming `seed`, EOI.
/// Enough for content sniffing; not a decodable image.
pub(crate) fn fake_jpeg(seed: &str) -> Vec<u8> {
    let mut out = vec![0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10];
    out.extend_from_slice(b"JFIF\0");
    out.extend_from_slice(&[0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00]);
    let comment = format!("jogg-mock cover {seed}");
    let comment = &comment.as_bytes()[..comment.len().min(200)];
    out.extend_from_slice(&[0xFF, 0xFE]);
    out.extend_from_slice(&((comment.len() + 2) as u16).to_be_bytes());
    out.extend_from_slice(comment);
    out.extend_from_slice(&[0xFF, 0xD9]);
    out
}

/// A short fake MP3 for voice auditions: an ID3v2 header and one frame
/// header followed by deterministic filler.
pub(crate) fn fake_mp3(seed: &str) -> Vec<u8> {
    let mut out = b"ID3\x03\x00\x00\x00\x00\x00\x00".to_vec();
    out.extend_from_slice(&[0xFF, 0xFB, 0x90, 0x64]);
    out.extend(noise(seed, 1024));
    out
}

/// `len` deterministic pseudo-random bytes derived from `seed`.
fn noise(seed: &str, len: usize) -> impl Iterator<Item = u8> {
    let mut state = fnv1a(seed.as_bytes());
    (0..len).map(move |_| {
        state = splitmix64(state);
        state.to_le_bytes()[0]
    })
}

/// FNV-1a: a stable hash (unlike std's randomly keyed hasher).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}
