// jogg from C++: list voices, create a talking-avatar video, wait for it with a progress line.
//
//     make lib
//     c++ -std=c++17 -Iinclude examples-c/cpp/example.cpp target/release/libjogg.a -lpthread -ldl -lm -o example
//     target/release/jogg-mock --render-ms 2000 -- ./example
//
// Configuration comes from JOGG_API_KEY and JOGG_BASE_URL, as for every jogg program.
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>

#include "jogg.hpp"

int main() {
    try {
        jogg::Client client;  // "{}": key and base URL from the environment
        std::cout << jogg::version() << "\n";

        std::string voices = client.list_voices(R"({"language": "english", "page_size": 5})");
        std::string voice_id = jogg::find_member(voices, "voice_id").value_or("");
        std::cout << "voices (english): " << jogg::find_member(voices, "total").value_or("?")
                  << " in all, using " << voice_id << "\n";

        std::string avatars = client.list_avatars(R"({"aspect_ratio": 0})");
        std::string avatar_id = jogg::find_member(avatars, "avatar_id").value_or("");
        std::cout << "avatar (9:16): " << avatar_id << "\n";
        if (voice_id.empty() || avatar_id.empty()) {
            std::cerr << "no voice or avatar in the catalogue\n";
            return 1;
        }

        // A real program would build this with a JSON library; both ids are plain tokens.
        std::string created = client.create_talking_avatar_video(
            R"({"script": "Hello from C++!", "voice_id": ")" + voice_id + R"(", "avatar_id": )" +
            avatar_id + R"(, "avatar_type": 0, "screen_style": 1, "aspect_ratio": 0})");
        std::string project_id = jogg::find_member(created, "project_id").value_or("");
        std::cout << "project " << project_id << " created, waiting...\n";

        // The real API asks for one poll per 5 s at most; jogg-mock renders in seconds.
        const char *base = std::getenv("JOGG_BASE_URL");
        bool local = base != nullptr && std::strstr(base, "://127.0.0.1") != nullptr;
        std::string options = local ? R"({"initial_interval_ms": 250, "max_interval_ms": 1000})" : "{}";
        std::string project = client.wait_for_project(project_id, options, [](const std::string &event) {
            std::cerr << "  " << jogg::find_member(event, "status").value_or("?") << " after "
                      << jogg::find_member(event, "elapsed_ms").value_or("?") << " ms\n";
            return true;  // false would cancel the wait
        });
        std::cout << "video: " << jogg::find_member(project, "video_url").value_or("(none)") << "\n";
        return 0;
    } catch (const jogg::Error &e) {
        // The request id is what Jogg support asks for.
        std::cerr << e.name() << " (" << e.code() << "): " << e.what()
                  << (e.request_id().empty() ? "" : "\nrequest id: " + e.request_id()) << "\n";
        return 1;
    }
}
