/* 课程网站：可滚动区域的 Tab 停靠点，只在区域快要进入视口时才判断（构建时加在主题脚本 pydata-sphinx-theme.js 的开头，
 * 见 course_offline.py 的 _lazy_tab_stops）。
 *
 * 主题在 load 事件时检查页面上每个代码块和输出：内容宽（高）于框时设 tabIndex = 0，读屏与键盘用户才能用方向键滚动它，
 * 否则设 -1。读 scrollWidth 要求浏览器先把这个代码块排好版；课程页面上屏幕外的单元格按 content-visibility: auto
 * 先不排版（static/course.css），这一遍检查就逼浏览器一次排完整页的上百个代码块，手机上主线程要忙三四百毫秒。
 *
 * 这里改为：单元格（content-visibility 的元素）里的区域先设 tabIndex = 0（Tab 键一定到得了，不会漏掉可滚动的区域），
 * 单元格距视口两屏以内时再按主题的规则判断（那时它已经排好版，读 scrollWidth 不额外花时间）。
 * 其余区域与主题相同，立即判断。窗口大小改变时主题会再调用一遍，这里照样处理。
 */
window.courseTabStop = (function () {
  "use strict";
  // 与 static/course.css 中 content-visibility: auto 的元素相同
  var LAZY = ".bd-article div.cell, .bd-article div.math";
  function decide(el) {
    el.tabIndex = el.scrollWidth > el.clientWidth || el.scrollHeight > el.clientHeight ? 0 : -1;
  }
  if (!("IntersectionObserver" in window)) return decide;
  var pending = new Map();
  var observer = new IntersectionObserver(
    function (entries) {
      entries.forEach(function (entry) {
        if (!entry.isIntersecting) return;
        observer.unobserve(entry.target);
        var regions = pending.get(entry.target);
        pending.delete(entry.target);
        if (regions) regions.forEach(decide);
      });
    },
    { rootMargin: "200% 0px" },
  );
  return function (el) {
    var box = el.closest(LAZY);
    if (!box) return decide(el);
    el.tabIndex = 0;
    var regions = pending.get(box);
    if (!regions) {
      regions = new Set();
      pending.set(box, regions);
      observer.observe(box);
    }
    regions.add(el);
  };
})();
