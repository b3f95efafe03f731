"""This process's own figures from ``/proc/self/status`` (Linux); 0 where there is none.

Its own module, importing nothing else, so that the headless driver can use it without
adding imports to the process it measures."""


def status_kib(field: str) -> int:
    """``VmRSS``, ``VmHWM``, ...: kibibytes, or 0 when the platform has no such file."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0
