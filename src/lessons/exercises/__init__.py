"""各课练习的检查器，每课一个模块。

用法（以第 1 课为例）::

    from lessons.exercises import tensor as ex
    ex.check_1(answer)   # 显示一行中文反馈

每个检查器都返回 :class:`lessons.checking.Feedback`。
"""
