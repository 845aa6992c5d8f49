// Runs a SurveyJS survey in survey-core and reports, for each answer set, which top-level
// questions it shows and requires. Input on stdin: {"survey": {...}, "answers": [{...}, ...],
// "titles": ["name", ...]}; output on stdout: {"results": [{"visible": [...], "required": [...],
// "data": the survey's result}],
// "titles": {"name": {"fi": ..., "en": ...}}, "jsonErrors": [...], "version": "..."}.
//
// A respondent answers only the questions shown; the survey clears a question's value when it
// is hidden (clearInvisibleValues: "onHidden"). So each answer set is given round by round: the
// answers of the questions shown in the last round, until the shown set settles.
"use strict";
const { Model, Version } = require("survey-core");

function shownAndRequired(survey, answers) {
  let shown = null;
  for (let round = 0; round < 10; round += 1) {
    const data = {};
    for (const [name, value] of Object.entries(answers)) {
      if (shown === null || shown.has(name)) data[name] = value;
    }
    survey.data = data;
    const now = new Set(survey.getAllQuestions().filter((q) => q.isVisible).map((q) => q.name));
    const settled = shown !== null && now.size === shown.size && [...now].every((n) => shown.has(n));
    shown = now;
    if (settled) break;
  }
  const questions = survey.getAllQuestions();
  return {
    visible: questions.filter((q) => shown.has(q.name)).map((q) => q.name),
    required: questions.filter((q) => shown.has(q.name) && q.isRequired).map((q) => q.name),
    data: survey.data,
  };
}

function main(input) {
  const request = JSON.parse(input);
  const survey = new Model(request.survey);
  // Properties or types survey-core does not know, as its JSON reader reports them.
  const jsonErrors = (survey.jsonErrors || []).map((error) => String(error.message || error));
  const results = request.answers.map((answers) => shownAndRequired(survey, answers));
  const titles = {};
  for (const name of request.titles || []) {
    const question = survey.getQuestionByName(name);
    titles[name] = {};
    for (const locale of ["fi", "en"]) {
      survey.locale = locale;
      titles[name][locale] = question ? question.title : null;
    }
  }
  survey.locale = "";
  process.stdout.write(JSON.stringify({ results, titles, jsonErrors, version: Version }));
}

let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", () => main(input));
