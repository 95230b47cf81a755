/*
 * 中文搜索的查询分词。
 *
 * Sphinx 的搜索在浏览器里只按空格和标点切分查询，"梯度下降"会被当成一个词，
 * 而索引里可能只有"梯度"和"下降"。这里按索引中已有的词做正向最长匹配，
 * 把连续的汉字切成索引认识的词。searchtools.js 发现 splitQuery 已定义时会使用它。
 */
"use strict";

var splitQuery = (function () {
  const HAN = /[\u3400-\u9fff\uf900-\ufaff]/;
  const MAX_WORD = 8;

  function knownTerms() {
    const index = (typeof Search !== "undefined" && Search._index) || {};
    return [index.terms || {}, index.titleterms || {}];
  }

  function isKnown(word, tables) {
    return tables.some((table) => Object.prototype.hasOwnProperty.call(table, word));
  }

  // 把一段连续的汉字切成索引中存在的词；找不到的单字略过（索引不收单字）。
  function segment(text, tables) {
    if (isKnown(text, tables)) return [text];
    const words = [];
    let i = 0;
    while (i < text.length) {
      let matched = "";
      for (let len = Math.min(MAX_WORD, text.length - i); len >= 2; len--) {
        const candidate = text.slice(i, i + len);
        if (isKnown(candidate, tables)) {
          matched = candidate;
          break;
        }
      }
      if (matched) {
        words.push(matched);
        i += matched.length;
      } else {
        i += 1;
      }
    }
    return words.length ? words : [text];
  }

  return function (query) {
    const tables = knownTerms();
    const result = [];
    query
      .split(/[^\p{Letter}\p{Number}_\p{Emoji_Presentation}]+/gu)
      .filter((term) => term)
      .forEach((term) => {
        if (!HAN.test(term)) {
          result.push(term);
          return;
        }
        // 汉字和拉丁字母混写时（如"nn模块"）先把两者分开
        term.split(/([A-Za-z0-9_]+)/).filter((part) => part).forEach((part) => {
          if (HAN.test(part)) result.push(...segment(part, tables));
          else result.push(part);
        });
      });
    return result;
  };
})();

/*
 * 搜索结果排序。Sphinx 默认只看查询词出现在标题还是正文，正文里提到“反向传播”的页面得分都一样。
 * 这里只替换 Scorer.score（Sphinx 文档中留给主题定制的钩子），再加一条规则：术语表“首次出现”
 * 一列指明了讲授每个术语的那一课（由构建生成的 course-terms.js 提供），查询中含有这个术语时，
 * 那一课的整页结果加上 TEACHES 分。其余权重保持 Sphinx 的默认值。
 *
 * 搜索结果摘要。Sphinx 从页面 HTML 中取纯文本做摘要；公式在构建时已排版（book/_ext/course_math.py），
 * 取出的文本里没有公式，TeX 原文只在 data-tex 属性里。这里在取文本之前把公式换成易读的文字（α、∂L/∂b、x²……）。
 *
 * 两处都要等 searchtools.js 定义好 Scorer 和 Search 之后才能修改：本文件在它之前加载，
 * 所以在 DOMContentLoaded 时修改；searchtools.js 的搜索也在 DOMContentLoaded 时开始，
 * 但它的监听函数登记得比这里晚，因此后运行。
 */
var courseReadableMath = (function () {
  const SYMBOLS = {
    alpha: "α", beta: "β", gamma: "γ", delta: "δ", epsilon: "ε", varepsilon: "ε", eta: "η",
    theta: "θ", lambda: "λ", mu: "μ", sigma: "σ", Sigma: "Σ", pi: "π", rho: "ρ", tau: "τ", phi: "φ",
    omega: "ω", Delta: "Δ", nabla: "∇", partial: "∂", cdot: "·", times: "×", le: "≤", leq: "≤",
    ge: "≥", geq: "≥", ne: "≠", neq: "≠", approx: "≈", to: "→", rightarrow: "→", leftarrow: "←",
    infty: "∞", sum: "Σ", prod: "Π", sqrt: "√", in: "∈", top: "ᵀ", ldots: "…", cdots: "…", quad: " ",
    qquad: " ", odot: "⊙", mid: "|", max: "max", min: "min", log: "log", exp: "exp", tanh: "tanh",
  };
  const SUPERSCRIPTS = { 0: "⁰", 1: "¹", 2: "²", 3: "³", 4: "⁴", 5: "⁵", 6: "⁶", 7: "⁷", 8: "⁸", 9: "⁹", "-": "⁻", "+": "⁺", T: "ᵀ", n: "ⁿ", i: "ⁱ", z: "ᶻ", x: "ˣ" };

  return function (tex) {
    let text = tex.trim().replace(/^(\\\(|\\\[|\$\$?)/, "").replace(/(\\\)|\\\]|\$\$?)$/, "");
    text = text.replace(/\\begin\{[a-z*]+\}|\\end\{[a-z*]+\}/g, " ");
    // 上标：能用上标字符写出的（x^2、x^{-1}、X^\top）换成上标字符，其余写成 ^(…)
    const sup = (s) => ([...s].every((c) => c in SUPERSCRIPTS) ? [...s].map((c) => SUPERSCRIPTS[c]).join("") : `^(${s})`);
    text = text.replace(/\^\{\\top\}|\^\\top/g, "ᵀ");
    text = text.replace(/\^\{([^{}]*)\}/g, (_, s) => sup(s)).replace(/\^([0-9A-Za-z])/g, (_, c) => sup(c));
    text = text.replace(/\\(?:left|right|[bB]ig{1,2}[lr]?)(?![A-Za-z])/g, "");
    text = text.replace(/\\(?:mathbf|mathrm|boldsymbol|text|operatorname|bar|tilde|mathcal)\{([^{}]*)\}/g, "$1");
    text = text.replace(/\\(?:hat|widehat)\{([^{}]*)\}|\\hat\s+([A-Za-z])/g, (_, a, b) => `${a || b}\u0302`);
    // 其余命令换成符号或去掉反斜杠
    text = text.replace(/\\(?!frac|dfrac|tfrac)([A-Za-z]+)/g, (whole, name) => (name in SYMBOLS ? SYMBOLS[name] : name));
    // \frac{a}{b} → a/b（由内向外，处理嵌套）
    for (let i = 0; i < 5; i++) {
      text = text.replace(/\\[dt]?frac\{([^{}]*)\}\{([^{}]*)\}/g, (_, a, b) => {
        const wrap = (s) => (/[+\-=]/.test(s) ? `(${s})` : s);
        return `${wrap(a)}/${wrap(b)}`;
      });
    }
    text = text.replace(/\\[,;:! ]/g, " ").replace(/\\\\/g, "; ").replace(/&/g, " ");
    return text.replace(/[{}]/g, "").replace(/\s+/g, " ").trim();
  };
})();

document.addEventListener("DOMContentLoaded", () => {
  const TEACHES = 30;
  if (typeof Scorer !== "undefined") {
    Scorer.score = (result) => {
      const [docname, , anchor, , score] = result;
      const terms = typeof COURSE_TERMS === "undefined" ? {} : COURSE_TERMS;
      const query = new URLSearchParams(window.location.search).get("q") || "";
      let bonus = 0;
      for (const [term, lesson] of Object.entries(terms)) {
        // 只加给整页结果（不加给页内小节），避免同一课的多个结果挤掉别的页面
        if (lesson === docname && !anchor && query.includes(term)) bonus = TEACHES;
      }
      return score + bonus;
    };
  }
  if (typeof Search !== "undefined" && Search.htmlToText) {
    const htmlToText = Search.htmlToText;
    Search.htmlToText = (htmlString, anchor) => {
      const doc = new DOMParser().parseFromString(htmlString, "text/html");
      doc.querySelectorAll(".math").forEach((el) => {
        // 公式在构建时已排版成 MathJax 的 HTML（没有可读的文字），TeX 原文在 data-tex 属性里
        el.textContent = ` ${courseReadableMath(el.dataset.tex ?? el.textContent)} `;
      });
      return htmlToText(doc.documentElement.outerHTML, anchor);
    };
  }
});
