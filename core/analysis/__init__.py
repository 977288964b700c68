"""What views compute from a run folder or a dataset."""
