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
 * 这里再加一条规则：术语表“首次出现”一列指明了讲授每个术语的那一课（由构建生成的
 * course-terms.js 提供），查询中含有这个术语时，那一课的得分加上 Scorer.teaches。
 * 其余各项与 Sphinx 的默认值相同。
 */
var Scorer = {
  objNameMatch: 11,
  objPartialMatch: 6,
  objPrio: { 0: 15, 1: 5, 2: -5 },
  objPrioDefault: 0,
  title: 15,
  partialTitle: 7,
  term: 5,
  partialTerm: 2,
  teaches: 30,

  score: (result) => {
    const [docname, , anchor, , score] = result;
    const terms = typeof COURSE_TERMS === "undefined" ? {} : COURSE_TERMS;
    const query = new URLSearchParams(window.location.search).get("q") || "";
    let bonus = 0;
    for (const [term, lesson] of Object.entries(terms)) {
      // 只加给整页结果（不加给页内小节），避免同一课的多个结果挤掉别的页面
      if (lesson === docname && !anchor && query.includes(term)) bonus = Scorer.teaches;
    }
    return score + bonus;
  },
};
