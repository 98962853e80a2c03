//! The handler of every operation of the API description, one module per API area. A module
//! lists its handlers by full operation name in `HANDLERS`; add the module to `AREAS`. A test
//! checks that every operation has exactly one handler.

mod refs;
mod uploads;
mod v1_ai_scripts;
mod v1_avatars;
mod v1_music;
mod v1_photo_avatars;
mod v1_products;
mod v1_templates;
mod v1_videos;
mod v1_voices;
mod v2_ai_scripts;
mod v2_avatars;
mod v2_lip_sync;
mod v2_music;
mod v2_photo_avatars;
mod v2_product_avatars;
mod v2_products;
mod v2_templates;
mod v2_translation;
mod v2_user;
mod v2_videos;
mod v2_visual_styles;
mod v2_voices;
mod webhook_endpoints;

pub(crate) use refs::check as check_refs;
pub(crate) use v1_videos::{PROJECT, RenderStatus, project_status};
pub(crate) use webhook_endpoints::ENDPOINT;

use crate::api::Handler;
use crate::store::Phase;

const AREAS: &[&[(&str, Handler)]] = &[
    uploads::HANDLERS,
    v1_ai_scripts::HANDLERS,
    v1_avatars::HANDLERS,
    v1_music::HANDLERS,
    v1_photo_avatars::HANDLERS,
    v1_products::HANDLERS,
    v1_templates::HANDLERS,
    v1_videos::HANDLERS,
    v1_voices::HANDLERS,
    v2_ai_scripts::HANDLERS,
    v2_avatars::HANDLERS,
    v2_lip_sync::HANDLERS,
    v2_music::HANDLERS,
    v2_photo_avatars::HANDLERS,
    v2_product_avatars::HANDLERS,
    v2_products::HANDLERS,
    v2_templates::HANDLERS,
    v2_translation::HANDLERS,
    v2_user::HANDLERS,
    v2_videos::HANDLERS,
    v2_visual_styles::HANDLERS,
    v2_voices::HANDLERS,
    webhook_endpoints::HANDLERS,
];

// The status vocabularies several areas answer with.

/// A v2 task's word in a poll answer (renders, translations, motions, generated images).
pub(super) fn task_word(phase: Phase) -> &'static str {
    match phase {
        Phase::Pending => "pending",
        Phase::Processing => "processing",
        Phase::Succeeded => "completed",
        Phase::Failed => "failed",
    }
}

/// The same state in the v2 history lists and the avatar status filter, whose vocabulary has
/// no `pending`.
pub(super) fn list_word(phase: Phase) -> &'static str {
    match phase {
        Phase::Pending | Phase::Processing => "processing",
        Phase::Succeeded => "completed",
        Phase::Failed => "failed",
    }
}

/// The integer form of an avatar's state in the avatar lists (v1 and v2): 0 while it is
/// being made, then 1 or 2.
pub(super) fn avatar_code(phase: Phase) -> i64 {
    match phase {
        Phase::Pending | Phase::Processing => 0,
        Phase::Succeeded => 1,
        Phase::Failed => 2,
    }
}

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
    fn every_operation_of_the_description_has_a_handler() {
        for op in crate::description::operations() {
            assert!(
                handler(op.full_name()).is_some(),
                "{} has no handler",
                op.full_name()
            );
        }
    }

    #[test]
    fn every_handler_is_an_operation_of_the_description_once() {
        let mut seen = std::collections::HashSet::new();
        for (name, _) in AREAS.iter().flat_map(|a| a.iter()) {
            assert!(
                crate::description::find(name).is_some(),
                "{name} is not in the description"
            );
            assert!(seen.insert(*name), "{name} handled twice");
        }
    }
}
