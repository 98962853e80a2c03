# Waits for a video while an http.server handler feeds the client the webhook deliveries: the
# wait ends when the delivery comes, polling only as a safety net. Key and base URL come from
# JOGG_API_KEY and JOGG_BASE_URL (jogg-mock sets both).
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jogg

client = jogg.Client()  # or {"webhook_secrets": [...]} for endpoints made elsewhere


class Hook(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        try:  # raw body and signature header to the client, which wakes the waits
            client.webhook_deliver(body, self.headers.get("X-Webhook-Signature"))
            self.send_response(200)  # repeats too, or the sender retries
        except jogg.JoggError as e:
            self.send_response(401 if e.name == "JOGG_ERR_SIGNATURE" else 400)
        self.end_headers()


server = ThreadingHTTPServer(("127.0.0.1", 0), Hook)  # jogg-mock delivers to loopback http://
threading.Thread(target=server.serve_forever, daemon=True).start()

# An endpoint made by this client: it knows the secret, and expects deliveries.
client.create_webhook_endpoint({
    "url": "http://127.0.0.1:%d/hook" % server.server_port,
    "events": ["generated_video_success", "generated_video_failed"]})
created = client.create_talking_avatar_video({
    "script": "Hello!", "avatar_id": 81, "avatar_type": 0,
    "voice_id": "en-US-ChristopherNeural", "screen_style": 1})
done = client.wait("v1.get_project", created["project_id"])
print("waited: source %s, polls %d" % (done["source"], done["polls"]))
server.shutdown()
client.close()
