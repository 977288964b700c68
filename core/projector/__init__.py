"""The embedding projector: a layer's features for test images, projected to 2-D (PCA,
t-SNE, UMAP) with k-means against the labels, computed by a background service and kept
in the run's eval/projections/. A generative run (a VAE, a CVAE) has one "layer", `latent`:
the encoder's mean codes of its test images, stored in its eval/latent.npz.

methods   the table of projections, k-means and its adjusted Rand index
features  the sample of test images and a layer's outputs (or latent codes) for them
results   the stored projections (<key>.json + <key>.npz) and their keys
jobs      submit a projection, follow it, and the job body the service runs
service   start, check and stop the service from outside (the app, the page)
server    the long-lived process that stays warm (`python -m core.projector serve`)
cli       `python -m core.projector {serve, project, list}`
"""
