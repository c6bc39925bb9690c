#!/usr/bin/env python3
"""Exits 0 once screen 0 of $DISPLAY has a system tray, 1 if not (yet).

A tray is the owner of the _NET_SYSTEM_TRAY_S0 selection (freedesktop System Tray Protocol);
test_e2e_gui.cpp polls this after starting trayer instead of sleeping for it. Xlib through
ctypes: no python3-xlib needed.
"""
import ctypes
import sys

x11 = ctypes.CDLL("libX11.so.6")
x11.XOpenDisplay.argtypes = [ctypes.c_char_p]
x11.XOpenDisplay.restype = ctypes.c_void_p
x11.XInternAtom.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
x11.XInternAtom.restype = ctypes.c_ulong
x11.XGetSelectionOwner.argtypes = [ctypes.c_void_p, ctypes.c_ulong]
x11.XGetSelectionOwner.restype = ctypes.c_ulong
x11.XCloseDisplay.argtypes = [ctypes.c_void_p]

display = x11.XOpenDisplay(None)
if not display:
    sys.exit(1)
owner = x11.XGetSelectionOwner(display, x11.XInternAtom(display, b"_NET_SYSTEM_TRAY_S0", 0))
x11.XCloseDisplay(display)
sys.exit(0 if owner else 1)
