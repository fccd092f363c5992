"""The evaluation model: trajectories to the R11 targets, grades, sentences and tables built from them."""
