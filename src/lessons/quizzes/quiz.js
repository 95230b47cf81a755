/* 自测题的交互（lessons.quiz 把它写进每一课自测题的 HTML 输出里）。
 *
 * 只用浏览器自带的功能，不加载任何外部文件。题目、答案和每个选项的解析都已经写在 HTML 里：
 * 题目的 data-kind 是题型，data-answer 是正确选项的序号（多选题用逗号分隔）或正确的数，
 * data-tolerance 是填空题允许的误差；“答案与解析”里的 li[data-option]、li[data-value]、
 * li[data-hint] 是各个选项、常见错误数值和其他错误的解析。脚本把对应的解析复制到反馈区。
 *
 * “检查答案”按钮由脚本创建：没有运行脚本的地方（如 JupyterLab 中未受信任的输出）不出现无用的按钮。
 *
 * 同一页上可能有几段自测题（每段输出都带着这段脚本），所以脚本初始化页面上所有还没有
 * 初始化的自测题，并用 data-ready 标记，重复运行也只初始化一次。
 */
(function () {
  "use strict";

  function explanation(question, selector) {
    var node = question.querySelector(".lq-answer " + selector + " .lq-expl");
    return node ? node.innerHTML : "";
  }

  function say(question, state, html) {
    var feedback = question.querySelector(".lq-feedback");
    feedback.setAttribute("data-state", state);
    feedback.innerHTML = html;
  }

  function markOptions(question, chosen, right) {
    var inputs = question.querySelectorAll(".lq-option input");
    for (var i = 0; i < inputs.length; i++) {
      var label = inputs[i].closest(".lq-option");
      if (chosen.indexOf(i) >= 0) {
        label.setAttribute("data-state", right.indexOf(i) >= 0 ? "right" : "wrong");
      } else {
        label.removeAttribute("data-state");
      }
    }
  }

  function letter(i) {
    return "ABCDEF".charAt(i);
  }

  function chosenOptions(question) {
    var inputs = question.querySelectorAll(".lq-option input");
    var chosen = [];
    for (var i = 0; i < inputs.length; i++) {
      if (inputs[i].checked) chosen.push(i);
    }
    return chosen;
  }

  function rightOptions(question) {
    return question.getAttribute("data-answer").split(",").map(Number);
  }

  function checkSingle(question) {
    var chosen = chosenOptions(question);
    if (chosen.length === 0) {
      say(question, "info", "请先选择一个选项。");
      return;
    }
    var right = rightOptions(question);
    var pick = chosen[0];
    markOptions(question, chosen, right);
    var why = explanation(question, '[data-option="' + pick + '"]');
    if (right.indexOf(pick) >= 0) {
      say(question, "right", "<strong>✓ 正确。</strong>" + why);
    } else {
      say(question, "wrong", "<strong>✗ 不对（" + letter(pick) + "）。</strong>" + why + "换一个选项再试试。");
    }
  }

  function checkMultiple(question) {
    var chosen = chosenOptions(question);
    if (chosen.length === 0) {
      say(question, "info", "请至少选择一个选项，再点“检查答案”。");
      return;
    }
    var right = rightOptions(question);
    markOptions(question, chosen, right);
    var wrong = chosen.filter(function (i) { return right.indexOf(i) < 0; });
    var missed = right.filter(function (i) { return chosen.indexOf(i) < 0; });
    var items = chosen.map(function (i) {
      var ok = right.indexOf(i) >= 0;
      return "<li><strong>" + letter(i) + (ok ? " 对：" : " 不对：") + "</strong>" +
        explanation(question, '[data-option="' + i + '"]') + "</li>";
    }).join("");
    var head;
    if (wrong.length === 0 && missed.length === 0) {
      head = "<strong>✓ 全部正确。</strong>";
    } else {
      head = "<strong>✗ 还不完全对。</strong>";
      if (missed.length > 0) head += "还有 " + missed.length + " 个正确的选项没有选。";
    }
    say(question, wrong.length === 0 && missed.length === 0 ? "right" : "wrong", head + "<ul>" + items + "</ul>");
  }

  /* 读出填写的数：接受全角数字和符号、科学记数法（1e-3）和分数（1/3）；不是数时返回 NaN。 */
  function parseNumber(raw) {
    var text = raw.replace(/[\uff10-\uff19]/g, function (c) {
      return String.fromCharCode(c.charCodeAt(0) - 0xfee0);
    }).replace(/[\uff0e\u3002]/g, ".").replace(/[\uff0d\u2212]/g, "-").replace(/\uff0b/g, "+")
      .replace(/\uff0f/g, "/").replace(/\s+/g, "");
    var number = /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i;
    if (number.test(text)) return Number(text);
    var parts = text.split("/");
    if (parts.length === 2 && number.test(parts[0]) && number.test(parts[1]) && Number(parts[1]) !== 0) {
      return Number(parts[0]) / Number(parts[1]);
    }
    return NaN;
  }

  function near(a, b, tolerance) {
    return Math.abs(a - b) <= tolerance + 1e-9 * Math.max(1, Math.abs(b));
  }

  function checkNumber(question) {
    var input = question.querySelector(".lq-input");
    var value = parseNumber(input.value);
    if (input.value.trim() === "" || isNaN(value)) {
      input.removeAttribute("data-state");
      say(question, "info", "请填一个数，例如 12、-0.5 或 1/3，再点“检查答案”。");
      return;
    }
    var answer = Number(question.getAttribute("data-answer"));
    var tolerance = Number(question.getAttribute("data-tolerance"));
    if (near(value, answer, tolerance)) {
      input.setAttribute("data-state", "right");
      say(question, "right", "<strong>✓ 正确。</strong>" + explanation(question, ".lq-main"));
      return;
    }
    input.setAttribute("data-state", "wrong");
    var mistakes = question.querySelectorAll(".lq-answer li[data-value]");
    for (var i = 0; i < mistakes.length; i++) {
      if (near(value, Number(mistakes[i].getAttribute("data-value")), tolerance)) {
        say(question, "wrong", "<strong>✗ 不对。</strong>" + mistakes[i].querySelector(".lq-expl").innerHTML);
        return;
      }
    }
    say(question, "wrong", "<strong>✗ 不对。</strong>" + explanation(question, "[data-hint]"));
  }

  var checkers = { single: checkSingle, multiple: checkMultiple, number: checkNumber };

  function setUp(quiz, serial) {
    quiz.setAttribute("data-ready", "true");
    var note = quiz.querySelector(".lq-nojs");
    if (note) note.parentNode.removeChild(note);
    var questions = quiz.querySelectorAll(".lq-question");
    Array.prototype.forEach.call(questions, function (question) {
      var check = checkers[question.getAttribute("data-kind")];
      var button = document.createElement("button");
      button.type = "button";
      button.className = "lq-check";
      button.textContent = "检查答案";
      button.addEventListener("click", function () { check(question); });
      question.querySelector(".lq-actions").appendChild(button);
      Array.prototype.forEach.call(question.querySelectorAll(".lq-option input"), function (input) {
        // 同一页上有同一课的两段自测题时，让各自的单选按钮分成不同的组
        input.name = input.name + "-" + serial;
        if (question.getAttribute("data-kind") === "single") {
          input.addEventListener("change", function () { check(question); });
        }
      });
      var field = question.querySelector(".lq-input");
      if (field) {
        field.addEventListener("keydown", function (event) {
          if (event.key === "Enter") {
            event.preventDefault();
            check(question);
          }
        });
      }
    });
  }

  var quizzes = document.querySelectorAll(".lessons-quiz:not([data-ready])");
  for (var i = 0; i < quizzes.length; i++) {
    window.lessonsQuizCount = (window.lessonsQuizCount || 0) + 1;
    setUp(quizzes[i], window.lessonsQuizCount);
  }

  // 打印时展开全部“答案与解析”，打印完恢复原样
  if (!window.lessonsQuizPrint) {
    window.lessonsQuizPrint = true;
    var opened = [];
    window.addEventListener("beforeprint", function () {
      opened = Array.prototype.filter.call(document.querySelectorAll(".lessons-quiz details.lq-answer"),
        function (details) { return !details.open; });
      opened.forEach(function (details) { details.open = true; });
    });
    window.addEventListener("afterprint", function () {
      opened.forEach(function (details) { details.open = false; });
      opened = [];
    });
  }
})();
