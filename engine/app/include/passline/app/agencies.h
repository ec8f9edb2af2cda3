// passline's application layer: the agency registry (SPEC §2). An admin enters each agency's
// facts, the ones that decide which laws bind it (region, public-institution flag, innovation-city
// cohort, date and joint city), with its names and the notice or statute they come from; a
// `quota-case/2` case is imported only when its agency's facts are the registry's, so a recruiter
// cannot choose its own law. The CLI (`passline agency add|import|list|show`) and the service
// (`/v1/agencies`, admin only) call these and print what they return.
//
// Every use case that writes runs in one store transaction: it lands whole or not at all.
// Thread-safety: as the Store passed in (one thread per store); the parsers are pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "passline/app/store.h"

namespace passline::app {

/// Checks an agency code as SPEC §6 writes ids: 1 to 64 Unicode characters of valid UTF-8, none
/// a control character (U+0000–U+001F, U+007F–U+009F) nor one of `/ ? # %`. Error `bad_id` at
/// `path`, saying which rule the code breaks.
Status check_agency_code(std::string_view code, const std::string& path = "code");

/// Checks a record for the registry (SPEC §2); the first error found, with its path relative to
/// the record:
/// - `code`: `bad_id` (check_agency_code);
/// - `name_ko`, `source`: `missing_field` when empty; `name_ko`, `name_en`, `source`:
///   `invalid_value` when not valid UTF-8, with a control character, or `name_en` empty;
/// - `innovation_city.cohort`: `invalid_value` unless 2018 or 2020;
/// - `innovation_city.since`: `invalid_value` before 2018-01-25 for the 2018 cohort (영 부칙
///   제28609호) or before 2020-05-27 for the 2020 cohort (부칙 제30675호);
/// - `innovation_city.joint_city`: `invalid_value` for an agency outside `gwangju`, `jeonnam`,
///   `jeonnam_gwangju` (영 §30-2⑥1: the joint innovation city of Gwangju and Jeonnam);
/// - `region`: `agency_not_covered` for an agency in the capital region with `innovation_city`.
Status validate_agency(const AgencyRecord& record);

/// What register_agency() did.
struct RegisteredAgency {
  AgencyRecord record;   ///< as stored (registered, its `designated` set)
  bool created = false;  ///< no agency of this code was stored before
  bool changed = false;  ///< anything stored changed (false: the same record again)
};

/// Registers `record` in one transaction: validates it (validate_agency), then stores it as a
/// registered agency, or replaces every fact, name and source of the stored agency of its code
/// (an agency a quota-case/1 import created becomes registered). `designated` is set to the
/// innovation cohort, or kept (2018 for a new agency) without one. An agency with stored
/// recruitments keeps its region and cohort, the facts its quota-case/1 recruitments are read
/// back with: `agency_mismatch` at `region` or `innovation_city.cohort` otherwise.
Result<RegisteredAgency> register_agency(Store& store, AgencyRecord record);

/// One registry record from JSON: `{code, name_ko, name_en?, region, public_institution,
/// innovation_city?: {cohort, since, joint_city?} | null, source, registered?}` (`registered`,
/// as agency_json() prints it, may only be true). Strict: `malformed_json` (path `byte N`, a
/// 0-based offset), `duplicate_member`, `unknown_key`, `missing_field`, `wrong_type`,
/// `unknown_region`, `bad_date`, `invalid_value`, each at the path of the value. With
/// `require_code` false the code may be left out (the service's PUT names it in the path); it is
/// then empty. The result is parsed, not validated: see validate_agency().
Result<AgencyRecord> parse_agency_json(std::string_view text, bool require_code = true);

/// A registry file: a JSON array of records (parse_agency_json's form). Errors as
/// parse_agency_json(), their paths prefixed by the record's index (`[3].innovation_city.since`);
/// a non-array: `wrong_type` at the root (path empty).
Result<std::vector<AgencyRecord>> parse_agencies_json(std::string_view text);

/// What import_agencies() did.
struct AgencyImport {
  std::int64_t added = 0, updated = 0, unchanged = 0;
};

/// Imports a registry file (parse_agencies_json) all or nothing: every record is validated
/// (validate_agency) and registered as register_agency() does, in one transaction. The first bad
/// record refuses the whole file with its error at `[i].field`; a code listed twice is
/// `invalid_value` at the second's `[i].code`. Nothing is stored on any error.
Result<AgencyImport> import_agencies(Store& store, std::string_view json_text);

/// Every stored agency by code, registered or not (`registered` tells).
Result<std::vector<AgencyRecord>> list_agencies(Store& store);

/// The stored agency `code`, registered or not. `bad_id` at `code`; `unknown_agency` at `code`.
Result<AgencyRecord> show_agency(Store& store, std::string_view code);

/// For a quota-case/2 case (SPEC §2): the case's agency facts must be the registry's.
/// `unknown_agency` at `agency.code` when the code is not registered (an agency a quota-case/1
/// import created does not count); `agency_mismatch` at `agency.<field>` (`agency.region`,
/// `agency.public_institution`, `agency.innovation_city`, `agency.innovation_city.cohort`,
/// `.since`, `.joint_city`) for the first fact that differs, the message naming the registry's
/// value and the case's. Reads only.
Status check_case_agency(Store& store, const Agency& from_case);

/// A record as JSON: parse_agency_json()'s keys plus `registered`, keys sorted, `name_en` and
/// `innovation_city` null when absent. `indent` < 0: one line; else nlohmann's dump(indent).
/// Ends with a newline. Throws std::invalid_argument when a text field is not valid UTF-8
/// (validate_agency() refuses such a record).
std::string agency_json(const AgencyRecord& record, int indent = -1);
/// `{"agencies": [record, ...]}` in the given order, as agency_json() writes each.
std::string agencies_json(const std::vector<AgencyRecord>& records, int indent = -1);

}  // namespace passline::app
