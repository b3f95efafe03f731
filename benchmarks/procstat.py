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


def busy(pid: int) -> bool:
    """Whether a thread of process ``pid`` is running or waiting for a CPU (or for the disk):
    a program that writes nothing may still be working, on a busy machine for long. False
    when the platform does not say (no ``/proc``) or the process is gone."""
    import os

    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return False
    for task in tasks:
        try:
            with open(f"/proc/{pid}/task/{task}/stat", encoding="ascii") as f:
                state = f.read().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            continue
        if state in ("R", "D"):
            return True
    return False


def unread(fd: int) -> int:
    """Bytes waiting to be read on terminal ``fd`` (0 when the platform does not say)."""
    try:
        import fcntl
        import struct
        import termios

        return struct.unpack("i", fcntl.ioctl(fd, termios.FIONREAD, b"\0" * 4))[0]
    except (ImportError, OSError):
        return 0
