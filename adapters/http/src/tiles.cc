// The log as C2SP tlog-tiles over HTTP (docs/AUDIT_LOG.md §7, docs/HTTP.md): GET /checkpoint,
// GET /tile/<L>/<N>[.p/<W>] and GET /tile/entries/<N>[.p/<W>], public (no token), each path
// segment checked by parse_tile_path() before the database is asked.
#include "passline/app/audit.h"
#include "passline/app/recruitments.h"
#include "passline/sql/log_key.h"
#include "passline/sql/witness.h"
#include "passline/tiles.h"
#include "service.h"

namespace passline::http::detail {
namespace {

// The checkpoint to publish: the newest one covering the whole log, signed now with the
// server's key (log_key) when the log grew since; without a key, the newest stored one.
Result<app::StoredCheckpoint> published_checkpoint(Context& cx, sql::Store& store) {
  auto head = app::log_head(store);
  if (!head) return head.error();
  auto cp = app::latest_checkpoint(store, head->size);
  if (cp || cx.options.log_key.empty()) return cp ? cp : app::latest_checkpoint(store);
  auto key = sql::read_log_key(cx.options.log_key);
  if (!key) return key.error();
  return app::sign_checkpoint(store, key->private_pem, key->name);
}

Result<Reply> serve(Context& cx, Session& session, const Request& rq, Route route) {
  if (!rq.query.empty())
    return make_error("bad_query", rq.query.front().first, "the log's tiles take no query");
  TileRef tile;
  if (route == Route::log_tile) {
    auto parsed = parse_tile_path(rq.segments);
    if (!parsed) return parsed.error();
    tile = *parsed;
  }
  auto store = session.store();
  if (!store) return store.error();
  Reply r;
  if (route == Route::log_checkpoint) {
    auto cp = published_checkpoint(cx, **store);
    if (!cp) return cp.error();
    auto note = sql::witnessed_note(**store, *cp);  // with the witnesses' cosignatures
    if (!note) return note.error();
    r.content_type = "text/plain; charset=utf-8";
    r.body = std::move(*note);
    r.headers.emplace_back("Cache-Control", "no-cache");
    return r;
  }
  // Tiles of the published tree only: a tile of a larger tree is not covered by a signature.
  auto cp = app::latest_checkpoint(**store);
  if (!cp) return cp.error();
  auto bytes = app::read_tile(**store, tile, cp->size);
  if (!bytes) return bytes.error();
  r.content_type = "application/octet-stream";
  r.body = std::move(*bytes);
  // A tile path names fixed bytes, full or partial (tlog-tiles: "This endpoint is immutable").
  r.headers.emplace_back("Cache-Control", "public, max-age=31536000, immutable");
  return r;
}

}  // namespace

Reply serve_log_tiles(Context& cx, const Request& rq, Route route) {
  Session session(cx);
  auto r = serve(cx, session, rq, route);
  if (r) return std::move(*r);
  if (r.error().code == "storage") session.discard();
  return problem(r.error());
}

}  // namespace passline::http::detail
