"""The demo's first dispatch suggestion model, trained on its year of closed cases at load time,
so that the desk suggests from the first call (the scheduler retrains it nightly)."""

from __future__ import annotations

from grassroots.cases.suggest import store, training


def train_first_model() -> str:
    """Train and save the model; a line for the loader's report."""
    model = training.train_county()
    store.save(model)
    store.forget()
    ev = model.meta.get("evaluation", {})
    return (
        f"派单建议模型：{model.meta['cases']:,} 件已结案诉求，{model.meta['seeds']} 条事项样例；"
        f"最近一个月 {ev.get('held_out', 0)} 件首选正确 {ev.get('top1', '-')}%，"
        f"前三 {ev.get('top3', '-')}%（{model.meta['seconds']} 秒）"
    )
