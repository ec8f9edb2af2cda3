// passline CLI: the agency registry (passline/app/agencies.h): agency add|import|list|show.
// The command line acts with a database's own rights, so these are the admin's commands.
#include <charconv>
#include <utility>

#include "commands.h"
#include "files.h"
#include "passline/app/agencies.h"
#include "passline/sql/store.h"

namespace passline::cli {
namespace {

std::string db_url(const Options& o) {
  return o.db ? *o.db : std::string(sql::kDefaultDatabaseUrl);
}

// A record field's path as the option that gives it, so that an error names what to change.
Error as_option_error(Error e) {
  static const std::pair<std::string_view, std::string_view> kOptionOf[] = {
      {"code", "--code"},
      {"region", "--region"},
      {"name_ko", "--name-ko"},
      {"name_en", "--name-en"},
      {"source", "--source"},
      {"public_institution", "--public-institution"},
      {"innovation_city.cohort", "--innovation-cohort"},
      {"innovation_city.since", "--innovation-since"},
      {"innovation_city.joint_city", "--joint-city"},
  };
  for (const auto& [field, option] : kOptionOf)
    if (e.path == field) {
      e.path = std::string(option);
      break;
    }
  return e;
}

int usage(const std::string& what) {
  return report(make_error("usage", "",
                           what + "\nusage: passline agency add --code C --region R "
                                  "--name-ko N [--name-en N] [--public-institution]\n"
                                  "       [--innovation-cohort 2018|2020 "
                                  "--innovation-since YYYY-MM-DD [--joint-city]] "
                                  "--source TEXT [--db URL]"));
}

std::string describe(const app::AgencyRecord& r) {
  const Agency& a = r.agency;
  std::string out = std::string(to_string(a.region));
  if (a.public_institution) out += "; public institution";
  if (a.innovation_city)
    out += "; innovation city " + std::to_string(a.innovation_city->cohort) + " since " +
           a.innovation_city->since.to_string() +
           (a.innovation_city->joint_city ? ", joint city" : "");
  return out;
}

}  // namespace

int run_agency_add(const Options& o) {
  if (o.innovation_since && !o.innovation_cohort)
    return usage("--innovation-since needs --innovation-cohort");
  if (o.innovation_cohort && !o.innovation_since)
    return usage("--innovation-cohort needs --innovation-since (the date it is bound from)");
  if (o.joint_city && !o.innovation_cohort)
    return usage("--joint-city needs --innovation-cohort and --innovation-since");
  app::AgencyRecord rec;
  rec.agency.code = *o.code;
  auto region = parse_region(*o.region);
  if (!region)
    return report(make_error("unknown_region", "--region",
                             "'" + *o.region +
                                 "' is not a region code: use one of seoul busan daegu incheon "
                                 "gwangju daejeon ulsan sejong gyeonggi gangwon chungbuk chungnam "
                                 "jeonbuk jeonnam gyeongbuk gyeongnam jeju jeonnam_gwangju"));
  rec.agency.region = *region;
  rec.name_ko = *o.name_ko;
  rec.name_en = o.name_en;
  rec.source = *o.source;
  rec.agency.public_institution = o.public_institution.has_value();
  if (o.innovation_cohort) {
    InnovationCity ic;
    const std::string& text = *o.innovation_cohort;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), ic.cohort);
    if (ec != std::errc() || p != text.data() + text.size())
      return report(make_error("invalid_value", "--innovation-cohort",
                               "--innovation-cohort must be 2018 or 2020, not '" + text + "'"));
    auto since = Date::parse(*o.innovation_since);
    if (!since)
      return report(make_error("bad_date", "--innovation-since",
                               "'" + *o.innovation_since + "' is not a date: write YYYY-MM-DD"));
    ic.since = *since;
    ic.joint_city = o.joint_city.has_value();
    rec.agency.innovation_city = ic;
  }
  auto store = sql::Store::open(db_url(o));
  if (!store) return report(store.error());
  auto done = app::register_agency(**store, std::move(rec));
  if (!done) return report(as_option_error(std::move(done).error()));
  const std::string verb = done->created ? "registered" : done->changed ? "updated" : "unchanged";
  write_out(verb + " " + done->record.agency.code + " (" + describe(done->record) + ") in " +
            (*store)->url().display + "\n");
  return 0;
}

int run_agency_import(const Options& o) {
  auto text = read_file(o.args.at(0));
  if (!text) return report(text.error());
  auto store = sql::Store::open(db_url(o));
  if (!store) return report(store.error());
  auto done = app::import_agencies(**store, *text);
  if (!done) {
    Error e = std::move(done).error();
    e.path = o.args.at(0) + (e.path.empty() ? "" : ": " + e.path);
    return report(e);
  }
  const std::int64_t n = done->added + done->updated + done->unchanged;
  write_out("imported " + std::to_string(n) + " agencies from " + o.args.at(0) + " (" +
            std::to_string(done->added) + " added, " + std::to_string(done->updated) +
            " updated, " + std::to_string(done->unchanged) + " unchanged) into " +
            (*store)->url().display + "\n");
  return 0;
}

int run_agency_list(const Options& o) {
  const std::string format = o.format.value_or("table");
  if (format != "table" && format != "json")
    return report(
        make_error("usage", "--format", "--format must be table or json, not '" + format + "'"));
  auto store = sql::Store::open(db_url(o));
  if (!store) return report(store.error());
  auto all = app::list_agencies(**store);
  if (!all) return report(all.error());
  if (format == "json") {
    write_out(app::agencies_json(*all, 1));
    return 0;
  }
  std::string out =
      "CODE\tREGION\tPUBLIC_INSTITUTION\tINNOVATION_CITY\tJOINT_CITY\tREGISTERED\tNAME_KO\n";
  for (const app::AgencyRecord& r : *all) {
    const auto& ic = r.agency.innovation_city;
    out += r.agency.code + "\t" + std::string(to_string(r.agency.region)) + "\t" +
           (r.agency.public_institution ? "yes" : "no") + "\t" +
           (ic ? std::to_string(ic->cohort) + " since " + ic->since.to_string() : "-") + "\t" +
           (ic && ic->joint_city ? "yes" : "no") + "\t" + (r.registered ? "yes" : "no") + "\t" +
           (r.name_ko.empty() ? "-" : r.name_ko) + "\n";
  }
  write_out(out);
  return 0;
}

int run_agency_show(const Options& o) {
  auto store = sql::Store::open(db_url(o));
  if (!store) return report(store.error());
  auto r = app::show_agency(**store, o.args.at(0));
  if (!r) {
    Error e = std::move(r).error();
    e.path = "CODE";
    return report(e);
  }
  write_out(app::agency_json(*r, 1));
  return 0;
}

}  // namespace passline::cli
