//! Handlers of the table-driven operations, one module per API area. A module lists its
//! handlers by full operation name in `HANDLERS`; add the module to `AREAS`.

mod v1_ai_scripts;
mod v1_avatars;
mod v1_music;
mod v1_photo_avatars;
// Temporary: see the module's doc.
mod v1_products_tmp;
mod v1_templates;
mod v1_videos;
mod v1_voices;
mod v2_lip_sync;
mod v2_music;
mod v2_user;

use crate::mock::table::Handler;

const AREAS: &[&[(&str, Handler)]] = &[
    v1_ai_scripts::HANDLERS,
    v1_avatars::HANDLERS,
    v1_music::HANDLERS,
    v1_photo_avatars::HANDLERS,
    v1_products_tmp::HANDLERS,
    v1_templates::HANDLERS,
    v1_videos::HANDLERS,
    v1_voices::HANDLERS,
    v2_lip_sync::HANDLERS,
    v2_music::HANDLERS,
    v2_user::HANDLERS,
];

/// The handler of an operation, by full name (`v2.get_current_user`).
pub(crate) fn handler(name: &str) -> Option<Handler> {
    AREAS
        .iter()
        .flat_map(|area| area.iter())
        .find(|(n, _)| *n == name)
        .map(|(_, h)| *h)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_handler_is_a_table_operation_once() {
        let mut seen = std::collections::HashSet::new();
        for (name, _) in AREAS.iter().flat_map(|a| a.iter()) {
            assert!(
                crate::ops::find(name).is_some(),
                "{name} is not in the table"
            );
            assert!(seen.insert(*name), "{name} handled twice");
        }
    }
}
