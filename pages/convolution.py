"""Convolution: a 3×3 kernel sliding over an image, each output pixel shown as the sum of its
nine products. Needs no run; the computing is in core.analysis.convolution."""
import streamlit as st

from app import ui
from core.analysis import convolution, layers
from core.i18n import TranslatableError

st.title(ui.tr("page_convolution"))
st.caption(ui.tr("layers_conv_help"))

sources = {source: ui.tr(f"layers_conv_source_{source}") for source in (*convolution.SAMPLE_SOURCES, "upload")}
left, right = st.columns(2)
source = left.radio(ui.tr("layers_conv_image"), list(sources), format_func=sources.get, horizontal=True, key="convolution_source")
if source == "upload":
    upload = left.file_uploader(ui.tr("predict_upload_label"), key="convolution_upload")
    if upload is None:
        st.stop()
    try:
        image = convolution.uploaded_image(upload.getvalue())
    except TranslatableError as error:
        left.error(ui.error_text(error))
        st.stop()
else:
    index = left.number_input(ui.tr("layers_conv_index"), min_value=0, max_value=999, value=0, key="convolution_index")
    image = convolution.sample_image(source, index)

presets = {name: ui.tr(f"layers_kernel_{name}") for name in (*convolution.KERNEL_PRESETS, "custom")}
choice = right.selectbox(ui.tr("layers_conv_kernel"), list(presets), format_func=presets.get, key="convolution_kernel")
padding = right.radio(ui.tr("layers_conv_padding"), convolution.PADDINGS, horizontal=True, key="convolution_padding", help=ui.tr("layers_conv_padding_help"))
if choice == "custom":
    import pandas

    start = pandas.DataFrame(convolution.preset("sharpen"), columns=["1", "2", "3"])
    edited = right.data_editor(start, hide_index=True, key="convolution_editor", num_rows="fixed")
    try:
        kernel = convolution.check_kernel(edited)
    except TranslatableError as error:
        right.error(ui.error_text(error))
        st.stop()
else:
    kernel = convolution.preset(choice)
    right.dataframe([[ui.number(float(value), ".3g") for value in row] for row in kernel], hide_index=True)

output = convolution.correlate(image, kernel, padding)
rows, columns = output.shape
row = st.slider(ui.tr("layers_conv_row"), 0, rows - 1, rows // 2, key="convolution_row")
column = st.slider(ui.tr("layers_conv_column"), 0, columns - 1, columns // 2, key="convolution_column")
step = convolution.window(image, kernel, row, column, padding)
scale = max(4, 256 // max(output.shape))
pictures = st.columns(2)
pictures[0].image(convolution.highlight(convolution.padded(image, padding), row, column, convolution.KERNEL_SIZE, scale), caption=ui.tr("layers_conv_input", shape=layers.shape_text(image.shape)))
pictures[1].image(convolution.highlight(convolution.to_unit(output), row, column, 1, scale), caption=ui.tr("layers_conv_output", shape=layers.shape_text(output.shape)))
st.markdown(ui.tr("layers_conv_products", row=row, column=column))
# Each cell a sentence, "0,50 × 0,111 = 0,056" in French: text, not numbers to sort.
st.dataframe([[f"{ui.number(float(pixel), '.2f')} × {ui.number(float(weight), '.3g')} = {ui.number(float(product), '.3f')}" for pixel, weight, product in zip(*values)] for values in zip(step.pixels, kernel, step.products)], hide_index=True)
st.success(ui.tr("layers_conv_sum", row=row, column=column, value=ui.number(float(step.total), ".3f")))
