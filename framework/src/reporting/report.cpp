// SPDX-License-Identifier: BSD-3-Clause
#include "reporting/report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>

#include "campaigns/campaign_io.hpp"  // read_campaign_json
#include "running/block_summary.hpp"
#include "running/result_json.hpp"
#include "reporting/figures.hpp"
#include "base/file_io.hpp"
#include "base/folder_lock.hpp"
#include "geoinv/error.hpp"
#include "geoinv/version.hpp"
#include "reporting/campaign_summary_html.hpp"
#include "reporting/fixed_target_report.hpp"
#include "reporting/figure_staging.hpp"
#include "reporting/html_text.hpp"
#include "reporting/gnuplot.hpp"

namespace geoinv {

namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

// At most this many kept runs get a link; the folder holds them all.
constexpr std::size_t kMaxRunLinks = 200;

// A JSON value for a table cell: numbers with `digits` significant digits, null as "–".
std::string cell(const json& value, int digits = 6) {
  if (value.is_null()) return "–";
  if (value.is_number_integer() || value.is_number_unsigned()) return value.dump();
  if (value.is_number()) return fmt::format("{:.{}g}", value.get<double>(), digits);
  if (value.is_string()) return value.get<std::string>();
  if (value.is_boolean()) return value.get<bool>() ? "yes" : "no";
  return value.dump();
}

const char* const kStyle =
    R"(body{font-family:system-ui,sans-serif;max-width:1180px;margin:1.5em auto;padding:0 1em;color:#222;line-height:1.4}
h1{font-size:1.6em}h2{margin-top:1.6em;border-bottom:1px solid #ddd}
.scroll{overflow-x:auto;max-width:100%}table{border-collapse:collapse;font-size:0.88em;margin:0.5em 0}th,td{border:1px solid #ccc;padding:3px 7px;text-align:right;vertical-align:top}
th{background:#f2f2f2}.text{text-align:left}tr.truth td{background:#f7f7e8}
dl{display:grid;grid-template-columns:max-content auto;gap:2px 1em}dt{font-weight:600}dd{margin:0}
figure{margin:1.2em 0}img{max-width:100%;height:auto;border:1px solid #ddd}figcaption{font-size:0.9em;color:#444;max-width:60em}
.note{color:#8a4b00}code{background:#f4f4f4;padding:0 3px}footer{margin-top:2em;font-size:0.85em;color:#666})";

std::string page(const std::string& title, const std::string& body) {
  return fmt::format(
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n"
      "<style>\n{}\n</style>\n</head>\n<body>\n{}"
      "<footer>Written by geoinv {}. <code>geoinv plot FOLDER</code> draws the figures and writes this page "
      "again; each figure's gnuplot script and data are beside it in <code>figures/</code>.</footer>\n"
      "</body>\n</html>\n",
      escape(title), kStyle, body, escape(version()));
}

std::string definition_list(const std::vector<std::pair<std::string, std::string>>& items) {
  std::string html = "<dl>\n";
  for (const auto& [term, value] : items)
    if (!value.empty()) html += fmt::format("<dt>{}</dt><dd>{}</dd>\n", escape(term), escape(value));
  return html + "</dl>\n";
}

// The figures of one folder that were drawn (a file of every format exists), with a link to each format
// and the script; the page shows the SVG, else the PNG.
std::string figures_html(const fs::path& dir, const std::string& prefix, const std::vector<Figure>& figures,
                         const FigureFormats& formats, std::vector<fs::path>* files) {
  std::string html;
  for (const auto& figure : figures) {
    std::vector<fs::path> drawn;
    std::error_code ec;
    for (FigureFormat format : formats)
      if (const fs::path file = dir / "figures" / (figure.name + "." + extension(format)); fs::exists(file, ec))
        drawn.push_back(file);
    if (drawn.size() != formats.size()) continue;
    if (files) files->insert(files->end(), drawn.begin(), drawn.end());
    const std::string base = escape(prefix + "figures/" + figure.name);
    std::string id = prefix + figure.name;  // unique on a campaign's page too: runs/0/fit -> runs-0-fit
    for (char& c : id)
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') c = '-';
    std::string links, shown;
    for (FigureFormat format : formats) {
      std::string word = extension(format);
      if (format == FigureFormat::svg || (format == FigureFormat::png && shown.empty())) shown = word;
      std::transform(word.begin(), word.end(), word.begin(), [](unsigned char c) { return std::toupper(c); });
      links += fmt::format("<a href=\"{}.{}\">{}</a> · ", base, extension(format), word);
    }
    const std::string image =
        shown.empty() ? std::string()
                      : fmt::format("<a href=\"{0}.{1}\"><img src=\"{0}.{1}\" alt=\"{2}\"></a>\n", base, shown,
                                    escape(figure.title));
    html += fmt::format(
        "<figure id=\"{0}\">\n{1}<figcaption><b>{2}.</b> {3} {4}<a href=\"{5}.gp\">gnuplot script</a>"
        "</figcaption>\n</figure>\n",
        escape(id), image, escape(figure.title), escape(figure.caption), links, base);
  }
  return html;
}

std::string notes_html(const std::vector<std::string>& notes, const std::optional<Error>& failure) {
  if (notes.empty() && !failure) return {};
  std::string html = "<h2>Notes</h2>\n<ul>\n";
  if (failure)
    html +=
        fmt::format("<li class=\"note\">The figures were not drawn: {}</li>\n", escape(failure->message()));
  for (const auto& note : notes) html += fmt::format("<li>{}</li>\n", escape(note));
  return html + "</ul>\n";
}

// Runs gnuplot on the plan's scripts in the staging folder; returns the failure, naming the folder's
// figures/ (where the user looks) instead of the staging folder, instead of throwing it.
std::optional<Error> draw(const FigureStaging& staging, const fs::path& dir, const FigurePlan& plan,
                          const FigureFormats& formats) {
  if (plan.figures.empty()) return std::nullopt;
  try {
    run_gnuplot(staging.path(), plan.scripts(), {"formats = " + gnuplot_quote(gnuplot_formats(formats))});
  } catch (const Error& error) {
    return Error(error.category(), error.message(), {(dir / "figures").string()});
  }
  return std::nullopt;
}

// Whether a failed drawing must leave the folder as it is: it has figures and a report.html from an
// earlier drawing, which the failure must not replace. A folder without a report.html yet (a new run
// whose gnuplot is missing) gets the scripts, the data and a report that says why the figures are missing.
bool keeps_earlier_report(const fs::path& dir, const std::optional<Error>& failure) {
  std::error_code ec;
  return failure && fs::exists(dir / "report.html", ec);
}

// Table cells of a run's record: a number with `digits` significant digits, a count, "–" when absent.
std::string number_cell(double value, int digits = 6) {
  return std::isfinite(value) ? fmt::format("{:.{}g}", value, digits) : "–";
}

template <typename Integer>
std::string count_cell(const std::optional<Integer>& value) {
  return value ? std::to_string(*value) : "–";
}

Vector as_vector(const std::vector<double>& values) {
  return Eigen::Map<const Vector>(values.data(), static_cast<Eigen::Index>(values.size()));
}

// The summary of each block of `model` (block_summary.hpp), in declaration order, against `truth` when
// the run has one: a table cell cannot show a block's hundreds of values.
std::vector<BlockSummary> block_summaries(const ParameterLayout& layout, const std::vector<double>& model,
                                          const std::optional<std::vector<double>>& truth) {
  return summarise_blocks(layout, as_vector(model), truth ? as_vector(*truth) : Vector());
}

// One cell per declared parameter: a scalar's value, a block's summary.
std::string model_cells(const ParameterLayout& layout, const std::vector<double>& model,
                        const std::vector<BlockSummary>& blocks, const std::vector<double>& std_error) {
  std::string html;
  std::size_t block = 0;
  for (std::size_t p = 0; p < layout.count(); ++p) {
    std::string text;
    if (layout.is_block(p)) {
      text = describe_block(blocks[block++]);
    } else {
      const auto i = static_cast<std::size_t>(layout.offset(p));
      text = number_cell(model[i]);
      if (!std_error.empty()) text += " ± " + number_cell(std_error[i], 3);
    }
    html += "<td>" + escape(text) + "</td>";
  }
  return html;
}

std::string run_table(const RunRecord& run) {
  const ParameterLayout layout = run_layout(run);
  std::string html =
      "<div class=\"scroll\"><table>\n<tr><th class=\"text\">solver</th><th class=\"text\">plugin</th>"
      "<th class=\"text\">status</th><th class=\"text\">termination</th>";
  for (std::size_t p = 0; p < layout.count(); ++p) {
    const ParameterSpec& spec = layout.specs()[p];
    html += layout.is_block(p)
                ? fmt::format("<th>{} [{}]<br>block of {} values: norm, non-zeros{}</th>", escape(spec.name),
                              escape(spec.unit), layout.size(p),
                              run.true_model ? ", correlation and NRMSE against the truth" : "")
                : fmt::format("<th>{} [{}]<br>estimate ± std error</th>", escape(spec.name), escape(spec.unit));
  }
  html += "<th>RMS [" + escape(data_unit_label(run_data_unit(run))) + "]</th>";
  if (run.sigma_known) html += "<th>χ²</th>";
  html +=
      "<th>iterations</th><th>forward evaluations</th><th>Jacobian evaluations</th><th>time [ms]</th></tr>\n";
  const std::size_t tail = run.sigma_known ? 6 : 5;
  if (run.true_model) {
    html += "<tr class=\"truth\"><td class=\"text\" colspan=\"4\">true model (synthetic data)</td>";
    html += model_cells(layout, *run.true_model, block_summaries(layout, *run.true_model, std::nullopt), {});
    html += fmt::format("<td colspan=\"{}\"></td></tr>\n", tail);
  }
  for (const auto& r : run.results) {
    html += fmt::format(
        "<tr><td class=\"text\">{}</td><td class=\"text\">{}</td><td class=\"text\">{}</td>"
        "<td class=\"text\">{}</td>",
        escape(r.solver), escape(r.plugin), escape(r.status), escape(r.termination));
    html += model_cells(layout, r.estimate, block_summaries(layout, r.estimate, run.true_model), r.std_error);
    html += "<td>" + escape(number_cell(r.rms, 5)) + "</td>";
    if (run.sigma_known) html += "<td>" + escape(number_cell(r.chi2, 5)) + "</td>";
    html += fmt::format("<td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n", escape(count_cell(r.iterations)),
                        escape(count_cell(r.forward_evaluations)), escape(count_cell(r.jacobian_evaluations)),
                        r.wall_time_s ? fmt::format("{:.3f}", 1e3 * *r.wall_time_s) : "–");
  }
  html += "</table></div>\n<ul>\n";
  for (const auto& r : run.results) {
    if (!r.message.empty())
      html += fmt::format("<li><b>{}</b>: {}</li>\n", escape(r.solver), escape(r.message));
    if (!r.uncertainty_note.empty())
      html += fmt::format("<li><b>{}</b>: {}</li>\n", escape(r.solver), escape(r.uncertainty_note));
    for (const auto& warning : r.warnings)
      html += fmt::format("<li class=\"note\"><b>{}</b>: warning: {}</li>\n", escape(r.solver), escape(warning));
    if (!r.lambda_rule.empty())
      html += fmt::format("<li><b>{}</b>: lambda = {:.6g} chosen by {}{}</li>\n", escape(r.solver), r.chosen_lambda,
                          escape(r.lambda_rule),
                          r.lambda_inherited_from.empty() ? std::string()
                                                          : " for " + escape(r.lambda_inherited_from) + " (start_from)");
  }
  for (const auto& note : run.data_notes) html += fmt::format("<li><b>data</b>: {}</li>\n", escape(note));
  return html + "</ul>\n";
}

// "name = value unit, ..." of a model in the parameters' order; a block as its summary.
std::string model_text(const std::vector<double>& model, const RunRecord& run) {
  const ParameterLayout layout = run_layout(run);
  const std::vector<BlockSummary> blocks = block_summaries(layout, model, std::nullopt);
  std::vector<std::string> parts;
  std::size_t block = 0;
  for (std::size_t p = 0; p < layout.count(); ++p) {
    const ParameterSpec& spec = layout.specs()[p];
    parts.push_back(layout.is_block(p)
                        ? fmt::format("{} = block of {} values ({})", spec.name, layout.size(p),
                                      describe_block(blocks[block++]))
                        : fmt::format("{} = {} {}", spec.name,
                                      number_cell(model[static_cast<std::size_t>(layout.offset(p))]), spec.unit));
  }
  return fmt::format("{}", fmt::join(parts, ", "));
}

// The data of a run in one line: source, count, file, noise and whether σ weights the misfit.
std::string data_text(const RunRecord& run) {
  std::string text = fmt::format("{}, {} data", run.data_source.empty() ? "?" : run.data_source,
                                 count_cell(run.data_count));
  if (!run.data_file.empty()) text += ", " + run.data_file;
  if (run.noise_sigma)
    text += ", noise σ = " + number_cell(*run.noise_sigma) + " " + data_unit_label(run_data_unit(run));
  text += run.sigma_known ? ", σ known (weighted)" : ", σ unknown (unweighted)";
  return text;
}

// The objective the run's solvers minimised (they share the experiment's), with what W_d is.
std::string objective_text(const RunRecord& run) {
  const ObjectiveTerms terms = run.results.empty() ? ObjectiveTerms{} : run.results.front().objective;
  return objective_statement(terms) + (run.sigma_known ? ", W_d = diag(1/σ)" : ", W_d = I (σ unknown)");
}

struct RunRender {
  ReportOutcome outcome;
  std::vector<Figure> figures;
  std::optional<Error> failure;
};

RunRender render_run(const fs::path& dir, const FigureFormats& formats) {
  RunRender render;
  render.outcome.kind = ResultFolderKind::run;
  render.outcome.report = dir / "report.html";
  const RunRecord run = read_run_record(dir / "result.json");
  const FigureStaging staging(dir);
  FigurePlan plan = write_run_figures(dir, run, staging.path());
  render.failure = draw(staging, dir, plan, formats);
  render.figures = plan.figures;
  if (keeps_earlier_report(dir, render.failure)) return render;
  staging.install();
  render.outcome.notes = plan.notes;

  const std::string experiment = run.experiment.empty() ? dir.filename().string() : run.experiment;
  std::string forward = run.forward_plugin;
  if (run.background != "none") forward += " + " + run.background + " background";
  std::string body = fmt::format("<h1>Run: {}</h1>\n", escape(experiment));
  body += definition_list({{"experiment file", run.experiment_file},
                           {"forward model", forward},
                           {"data", data_text(run)},
                           {"true model", run.true_model ? model_text(*run.true_model, run) : ""},
                           {"start model", run.start_model ? model_text(*run.start_model, run) : ""},
                           {"objective", objective_text(run)},
                           {"seed", count_cell(run.experiment_seed)},
                           {"geoinv", run.geoinv_version}});
  body +=
      "<h2>Results</h2>\n<p>From <a href=\"result.json\">result.json</a> (every number there; the data and "
      "curves in <a href=\"fit.csv\">fit.csv</a>).</p>\n" +
      run_table(run);
  const std::string figures_part = figures_html(dir, "", plan.figures, formats, &render.outcome.files);
  if (!figures_part.empty()) body += "<h2>Figures</h2>\n" + figures_part;
  body += notes_html(plan.notes, render.failure);
  write_atomically(render.outcome.report, page("geoinv run: " + experiment, body));
  return render;
}

// The kept run folders of a campaign (DIR/runs/<id>/ with a result.json), by run id.
std::vector<std::pair<long long, fs::path>> kept_runs(const fs::path& dir) {
  std::vector<std::pair<long long, fs::path>> runs;
  std::error_code ec;
  if (!fs::is_directory(dir / "runs", ec)) return runs;
  for (const auto& entry : fs::directory_iterator(dir / "runs", ec)) {
    const std::string name = entry.path().filename().string();
    if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos || name.size() > 15)
      continue;
    if (fs::exists(entry.path() / "result.json", ec)) runs.emplace_back(std::stoll(name), entry.path());
  }
  std::sort(runs.begin(), runs.end());
  return runs;
}

// The kept runs' section: figures for the first few (their reports drawn too), a link for every one.
std::string kept_runs_html(const fs::path& dir, const std::vector<std::pair<long long, fs::path>>& runs,
                           const FigureFormats& formats, std::optional<Error>& failure, ReportOutcome& outcome) {
  std::string runs_html;
  std::size_t drawn = 0;
  for (std::size_t k = 0; k < runs.size(); ++k) {
    const auto& [id, run_dir] = runs[k];
    if (k == kMaxRunLinks) {
      runs_html += fmt::format("<p>… and {} more in <code>runs/</code>.</p>\n", runs.size() - k);
      break;
    }
    const std::string link = fmt::format("runs/{}/", id);
    if (drawn < kMaxRunReportsPerCampaign &&
        !(failure && failure->message().rfind("gnuplot not found", 0) == 0)) {
      ++drawn;
      try {
        RunRender run = render_run(run_dir, formats);
        outcome.run_reports.push_back(run.outcome.report);
        outcome.files.insert(outcome.files.end(), run.outcome.files.begin(), run.outcome.files.end());
        if (run.failure && !failure) failure = run.failure;
        runs_html += fmt::format("<h3><a href=\"{0}report.html\">Run {1}</a></h3>\n", escape(link), id);
        std::vector<Figure> shown;
        for (const auto& figure : run.figures)
          if (figure.name == "fit" || figure.name == "convergence") shown.push_back(figure);
        runs_html += figures_html(run_dir, link, shown, formats, nullptr);
        continue;
      } catch (const Error& error) {
        outcome.notes.push_back(fmt::format("run {}: no report: {}", id, error.what()));
      }
    }
    runs_html +=
        fmt::format("<p><a href=\"{0}\">Run {1}</a> (<code>geoinv plot {2}</code> draws its figures)</p>\n",
                    escape(link + "result.json"), id, escape((dir / "runs" / std::to_string(id)).string()));
  }
  if (runs.size() > kMaxRunReportsPerCampaign)
    outcome.notes.push_back(fmt::format("{} run folders are kept; figures were drawn for the first {}",
                                        runs.size(), kMaxRunReportsPerCampaign));

  return runs_html;
}

// The campaign's facts from campaign.json, as a definition list.
std::string campaign_facts(const json& campaign, std::size_t kept) {
  std::string shard;
  if (campaign.contains("shard") && campaign["shard"].value("count", 1) > 1)
    shard = fmt::format("{} of {}", cell(campaign["shard"].value("index", json())),
                        cell(campaign["shard"].value("count", json())));
  std::string collected;
  if (campaign.contains("collected_from"))
    for (const auto& folder : campaign["collected_from"])
      collected += (collected.empty() ? "" : ", ") + cell(folder);
  auto joined = [&](const char* key) {
    std::vector<std::string> words;
    if (campaign.contains(key))
      for (const auto& word : campaign[key]) words.push_back(cell(word));
    return fmt::format("{}", fmt::join(words, ", "));
  };
  return definition_list(
      {{"campaign file", campaign.value("campaign_file", "")},
       {"base experiment", campaign.value("base_file", "")},
       {"runs",
        fmt::format("{} ({} sweep points × {} replicates)", cell(campaign.value("runs", json())),
                    cell(campaign.value("points", json())), cell(campaign.value("replicates", json())))},
       {"sweep keys", joined("value_columns")},
       {"solvers", joined("solvers")},
       {"parameters", joined("parameters")},
       {"success", campaign.contains("success") ? campaign["success"].value("definition", "") : ""},
       {"kept run folders", campaign.value("keep_details", "") + fmt::format(" ({} kept)", kept)},
       {"seed", cell(campaign.value("seed", json()))},
       {"shard", shard},
       {"collected from", collected},
       {"fingerprint", campaign.value("fingerprint", "")}});
}

ReportOutcome render_campaign(const fs::path& dir, const FigureFormats& formats) {
  ReportOutcome outcome;
  outcome.kind = ResultFolderKind::campaign;
  const json campaign = read_campaign_json(dir);
  for (const char* key : {"solvers", "parameters", "axis_columns"})
    if (!campaign.contains(key) || !campaign[key].is_array())
      throw Error(Error::Category::io, fmt::format("not a geoinv campaign.json: no '{}'", key),
                  {(dir / "campaign.json").string()});
  const FigureStaging staging(dir);
  FigurePlan plan = write_campaign_figures(dir, campaign, staging.path());
  const std::string name = campaign.value("name", dir.filename().string());
  const std::optional<FixedTargetStudy> targets = read_fixed_target_study(dir, staging.path());
  if (targets) write_fixed_target_figures(*targets, name, staging.path(), plan);
  std::optional<Error> failure = draw(staging, dir, plan, formats);
  if (keeps_earlier_report(dir, failure)) throw *failure;
  staging.install();
  outcome.notes = plan.notes;

  const std::string figures_part = figures_html(dir, "", plan.figures, formats, &outcome.files);

  const auto runs = kept_runs(dir);
  const std::string runs_html = kept_runs_html(dir, runs, formats, failure, outcome);
  std::string body = fmt::format("<h1>Campaign: {}</h1>\n", escape(name));
  body += campaign_facts(campaign, runs.size());
  body +=
      "<h2>Summary</h2>\n<p>From <a href=\"summary.csv\">summary.csv</a>: per sweep point and solver; errors "
      "over the runs that did not fail (median and IQR); every run in <a "
      "href=\"results.csv\">results.csv</a>, "
      "its sweep values and seed in <a href=\"manifest.csv\">manifest.csv</a>.</p>\n";
  body += campaign_summary_html(dir / "summary.csv", campaign, outcome.notes);
  if (targets) body += fixed_target_html(*targets);
  if (!figures_part.empty()) body += "<h2>Figures</h2>\n" + figures_part;
  if (!runs.empty()) body += "<h2>Kept runs</h2>\n" + runs_html;
  body += notes_html(outcome.notes, failure);
  outcome.report = dir / "report.html";
  write_atomically(outcome.report, page("geoinv campaign: " + name, body));
  if (failure) throw *failure;
  return outcome;
}

}  // namespace

ResultFolderKind detect_result_folder(const fs::path& dir) {
  std::error_code ec;
  if (!fs::exists(dir, ec)) throw Error(Error::Category::io, "no such folder", {dir.string()});
  if (!fs::is_directory(dir, ec))
    throw Error(Error::Category::io, "not a folder: expected a run or campaign folder", {dir.string()});
  if (fs::exists(dir / "campaign.json", ec)) {
    if (!fs::exists(dir / "results.csv", ec))
      throw Error(Error::Category::io, "a campaign folder without results.csv: the campaign has not started",
                  {dir.string()});
    return ResultFolderKind::campaign;
  }
  if (fs::exists(dir / "result.json", ec)) return ResultFolderKind::run;
  throw Error(Error::Category::io,
              "not a geoinv run or campaign folder: expected result.json (a folder written by `geoinv run`) "
              "or campaign.json and results.csv (a folder written by `geoinv campaign`)",
              {dir.string()});
}

ReportOutcome render_report(const fs::path& dir, const FigureFormats& formats) {
  const ResultFolderKind kind = detect_result_folder(dir);
  const FolderLock lock(dir);  // it rewrites figures/ and report.html: not while another process writes
  if (kind == ResultFolderKind::campaign) return render_campaign(dir, formats);
  RunRender run = render_run(dir, formats);
  if (run.failure) throw *run.failure;
  return run.outcome;
}

bool render_report_or_warn(const fs::path& dir, const fs::path& shown_as, const FigureFormats& formats) {
  std::string message;
  try {
    render_report(dir, formats);
    return true;
  } catch (const std::exception& error) {
    message = error.what();
  }
  // A run's figures are drawn in its hidden staging folder: name the folder the user will see.
  const std::string hidden = dir.string(), shown = shown_as.string();
  for (std::size_t at = message.find(hidden); !hidden.empty() && at != std::string::npos;
       at = message.find(hidden, at + shown.size()))
    message.replace(at, hidden.size(), shown);
  std::cerr << fmt::format(
      "geoinv: warning: figures of {} not drawn: {} (the results are complete; `geoinv plot "
      "{}` draws the figures)\n",
      shown, message, shown);
  return false;
}

}  // namespace geoinv
