"""The ground floor: helpers every package may import (it imports nothing of ours)."""
