/* linli-watchdog.c — sd_notify for the kiosk under linli-kiosk.service
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The unit runs "cage -- linli-kiosk": cage is the service's main process
 * and the kiosk is its child. systemd sets WATCHDOG_PID to the main PID
 * (cage's), and cage passes its environment on, so sd_watchdog_enabled()
 * in the kiosk would say "not for you" and no ping would ever be sent. The
 * kiosk therefore also accepts WATCHDOG_PID naming its parent; the unit's
 * NotifyAccess=all lets systemd take the messages from a process that is
 * not the main one.
 *
 * WATCHDOG=1 is sent from a timeout on the default main context, at half
 * the interval systemd asked for: when the main loop hangs (a blocking
 * call on the UI thread, a deadlock) the pings stop and systemd restarts
 * the whole service. A ping from a thread of its own would hide exactly
 * that hang.
 */
#define G_LOG_DOMAIN "linli-watchdog"

#include "linli-watchdog.h"

#include <stdlib.h>
#include <systemd/sd-daemon.h>
#include <unistd.h>

static guint ping_source_id;
static gboolean ready_sent;

/* WATCHDOG_USEC when it is meant for this process (or, under cage, for
 * our parent, the unit's main process); 0 when there is no watchdog. */
guint64
linli_watchdog_interval_usec (void)
{
  const char *usec_text = g_getenv ("WATCHDOG_USEC");
  const char *pid_text = g_getenv ("WATCHDOG_PID");
  guint64 usec = 0;
  guint64 pid = 0;

  if (usec_text == NULL || g_getenv ("NOTIFY_SOCKET") == NULL)
    return 0;
  if (!g_ascii_string_to_unsigned (usec_text, 10, 1, G_MAXUINT64, &usec, NULL))
    return 0;
  if (pid_text != NULL)
    {
      if (!g_ascii_string_to_unsigned (pid_text, 10, 1, G_MAXINT, &pid, NULL))
        return 0;
      if ((pid_t) pid != getpid () && (pid_t) pid != getppid ())
        return 0;
    }
  return usec;
}

static void
notify (const char *message)
{
  int r;

  /* 0: no NOTIFY_SOCKET, not under systemd; nothing to do. */
  r = sd_notify (0, message);
  if (r < 0)
    g_debug ("sd_notify failed: %s", g_strerror (-r));
}

static gboolean
on_ping (gpointer user_data)
{
  notify ("WATCHDOG=1");
  return G_SOURCE_CONTINUE;
}

/* Starts the pings, from the application's start-up: the first one goes
 * now, so a slow first frame is not taken for a hang. */
void
linli_watchdog_start (void)
{
  guint64 usec = linli_watchdog_interval_usec ();
  guint interval_ms;

  if (ping_source_id != 0)
    return;
  notify ("STATUS=Starting");
  if (usec == 0)
    return;
  interval_ms = (guint) CLAMP (usec / 2000, 1, G_MAXUINT);
  notify ("WATCHDOG=1");
  ping_source_id = g_timeout_add_full (G_PRIORITY_DEFAULT, interval_ms, on_ping, NULL, NULL);
  g_debug ("watchdog: pinging every %u ms", interval_ms);
}

/* The attract screen is on the output: the service is up. */
void
linli_watchdog_ready (void)
{
  if (ready_sent)
    return;
  ready_sent = TRUE;
  notify ("READY=1\nSTATUS=Attract screen shown");
}

/* A short line for systemctl status; never personal data. */
void
linli_watchdog_status (const char *status)
{
  g_autofree char *message = NULL;

  g_return_if_fail (status != NULL);
  message = g_strdup_printf ("STATUS=%s", status);
  notify (message);
}

void
linli_watchdog_stopping (void)
{
  g_clear_handle_id (&ping_source_id, g_source_remove);
  notify ("STOPPING=1\nSTATUS=Stopping");
}
