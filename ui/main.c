/* main.c: linli-kiosk, the kiosk's full-screen program. */
#include "linli-build-config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "linli-kiosk-app.h"

int
main (int argc, char *argv[])
{
  g_autoptr (LinliKioskApp) app = NULL;
  const char *localedir = g_getenv ("LINLI_LOCALEDIR");

  /* A kiosk started by systemd may have no locale at all; gettext ignores
   * LANGUAGE under "C", so fall back to the always-present C.UTF-8. */
  if (g_strcmp0 (setlocale (LC_ALL, ""), "C") == 0
      || g_strcmp0 (setlocale (LC_ALL, NULL), "POSIX") == 0)
    setlocale (LC_ALL, "C.UTF-8");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL ? localedir : LINLI_LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = linli_kiosk_app_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
