// The id rule of SPEC §6 for ids given outside a case document (id.h).
#include "passline/id.h"

#include "detail/case_json_common.h"
#include "detail/utf8.h"

namespace passline {

Status check_id(std::string_view id, const std::string& path) {
  if (!detail::well_formed_utf8(id)) return make_error("bad_id", path, "the id is not valid UTF-8");
  if (auto problem = detail::id_problem(id))
    return make_error("bad_id", path, "the id '" + std::string(id) + "' " + *problem);
  return Status::ok_status();
}

}  // namespace passline
