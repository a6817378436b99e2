"""The few names of Django that scripts for alation_django_shell import (a stand-in: no real Django here)."""
