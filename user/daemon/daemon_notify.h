/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * systemd's readiness protocol without libsystemd: one datagram to $NOTIFY_SOCKET, for a
 * Type=notify service ("READY=1", "RELOADING=1", "STOPPING=1"). Used by xlbd.
 */
#ifndef XLBD_NOTIFY_H
#define XLBD_NOTIFY_H

/* Sends state (lines of KEY=VALUE); 0 without $NOTIFY_SOCKET, or -errno. */
int xlbd_notify(const char *state);

#endif /* XLBD_NOTIFY_H */
