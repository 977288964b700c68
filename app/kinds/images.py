"""Views any kind of task on images shares."""
from __future__ import annotations

import streamlit as st

from app.ui import navigation
from app.ui.safety import plain
from core import pictures


def image_preview(preview) -> None:
    """Home's look at an image dataset: split sizes, eight images a class, the class counts."""
    tr = navigation.tr
    st.caption(plain(preview.source))
    size_columns = st.columns(3)
    for column, (split, size) in zip(size_columns, preview.split_sizes.items()):
        column.metric(tr(f"home_split_{split}"), navigation.number(size, ","))
    for class_name, images in preview.samples.items():
        columns = st.columns([1] + [1] * len(images))
        columns[0].markdown(f"**{plain(navigation.name(class_name))}**  \n{preview.counts[class_name]}")
        for column, image in zip(columns[1:], images):
            column.image(pictures.enlarge(image, 56), width=56)
    st.subheader(tr("home_class_counts"))
    st.bar_chart({tr("home_count"): {navigation.name(name): count for name, count in preview.counts.items()}}, x_label=tr("label_class"), y_label=tr("home_count"))


def grid(count: int, per_row: int = 3) -> list:
    """One column per item, `per_row` items a row (six heatmaps in one row are unreadable)."""
    columns = []
    for _ in range(0, count, per_row):
        columns += st.columns(per_row)
    return columns[:count]
