"""Settings for the whole test session."""
import os

# The app starts the projection service (app/ui.warm_projector). In tests it skips its
# warm-up and exits soon after its last job, so no test leaves a warm 1.5 GB process behind.
os.environ.setdefault("DLLAB_PROJECTOR_WARM", "")
os.environ.setdefault("DLLAB_PROJECTOR_IDLE_SECONDS", "10")
