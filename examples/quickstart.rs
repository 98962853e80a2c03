use jogg::{Client, Config, CreateTalkingAvatarVideo, WaitOptions};
use std::ops::ControlFlow;

fn main() -> Result<(), jogg::Error> {
    // api_key and base_url from JOGG_API_KEY and JOGG_BASE_URL, as jogg_client_new("{}")
    let client = Client::new(Config::from_env()?)?;
    let request = CreateTalkingAvatarVideo::from_script(81, "en-US-ChristopherNeural", "Hello!");
    let created = client.v1().videos().create_from_talking_avatar(&request)?;
    let project = client.wait_for_project(&created.project_id, &WaitOptions::default(), |p| {
        eprintln!("{} after {:?}", p.status.as_str(), p.elapsed);
        ControlFlow::Continue(())
    })?;
    println!("video: {}", project.video_url.unwrap_or_default());
    Ok(())
}
