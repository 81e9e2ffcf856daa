/* linli-diag-camera-snap.c: linli-diag camera-snap.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   linli-diag camera-snap [--source DESCRIPTION] [--document] -o FILE.jpg
 *
 * Takes one picture at the camera's full resolution through LinliCamera,
 * exactly as the kiosk captures a page, and writes it as a JPEG. The
 * source is the configured camera ([devices] camera-source) unless
 * --source names another GStreamer description ending in raw video.
 */
#define G_LOG_DOMAIN "linli-diag"

#include "linli-diag-camera-snap.h"

#include <stdlib.h>

#include "linli-camera.h"
#include "linli-document.h"

#define EXIT_USAGE 2

static const char camera_snap_usage[] = "Usage: linli-diag [--config PATH] camera-snap "
                                        "[--source DESCRIPTION] [--document] -o FILE.jpg\n";

static int G_GNUC_PRINTF (1, 2) camera_snap_usage_error (const char *format, ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_printerr ("linli-diag: camera-snap: %s\n%s", message, camera_snap_usage);
  return EXIT_USAGE;
}

typedef struct
{
  GMainLoop *loop;
  GAsyncResult *result;
} Wait;

static void
on_captured (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Wait *wait = user_data;

  wait->result = g_object_ref (result);
  g_main_loop_quit (wait->loop);
}

int
linli_diag_camera_snap (LinliConfig *config, int argc, char **argv)
{
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) args = g_new0 (char *, argc + 1);
  g_autofree char *source = NULL;
  g_autofree char *output = NULL;
  gboolean document = FALSE;
  g_autoptr (LinliDevice) camera = NULL;
  g_autoptr (GMainLoop) loop = NULL;
  g_autoptr (GBytes) jpeg = NULL;
  Wait wait = { 0 };
  int width = 0;
  int height = 0;
  const GOptionEntry entries[] = {
    { "source", 0, 0, G_OPTION_ARG_STRING, &source,
      "GStreamer source ending in raw video (default: [devices] camera-source)", "DESCRIPTION" },
    { "document", 0, 0, G_OPTION_ARG_NONE, &document,
      "Process the picture as a document page (crop, deskew, enhance)", NULL },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, "Write the JPEG to FILE", "FILE.jpg" },
    { NULL },
  };

  for (int i = 0; i < argc; i++)
    args[i] = g_strdup (argv[i]);
  context = g_option_context_new ("— take one picture with the camera and write a JPEG");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse_strv (context, &args, &error))
    return camera_snap_usage_error ("%s", error->message);
  if (g_strv_length (args) != 1)
    return camera_snap_usage_error ("unexpected argument “%s”", args[1]);
  if (output == NULL || *output == '\0')
    return camera_snap_usage_error ("-o FILE.jpg is required");
  if (source != NULL && *source == '\0')
    return camera_snap_usage_error ("--source needs a GStreamer description");

  if (source == NULL)
    source = g_strdup (linli_config_get_string (config, "devices", "camera-source"));
  camera = linli_camera_new (source);
  loop = g_main_loop_new (NULL, FALSE);
  wait.loop = loop;
  /* The camera bounds the wait itself (capture-timeout). */
  linli_camera_capture_async (LINLI_CAMERA (camera), NULL, on_captured, &wait);
  g_main_loop_run (loop);
  jpeg = linli_camera_capture_finish (LINLI_CAMERA (camera), wait.result, &width, &height, &error);
  g_object_unref (wait.result);
  if (jpeg == NULL)
    {
      g_printerr ("linli-diag: camera-snap: %s\n", error->message);
      return EXIT_FAILURE;
    }

  if (document)
    {
      /* The page as the kiosk keeps it for an application: cropped to the
       * paper, straightened, made legible (devices/linli-document.c). */
      LinliDocumentReport report;
      g_autoptr (GBytes) page = linli_document_process (jpeg, &report, &error);

      if (page == NULL)
        {
          g_printerr ("linli-diag: camera-snap: %s\n", error->message);
          return EXIT_FAILURE;
        }
      g_print ("document page: %dx%d from the %dx%d box at %d,%d; skew %.2f° corrected%s; "
               "%.0f ms\n",
               report.width, report.height, report.page_width, report.page_height, report.page_x,
               report.page_y, report.skew_degrees,
               report.skew_from_edges ? " (from the page's edges)" : "",
               (double) report.elapsed_us / 1000.0);
      g_bytes_unref (jpeg);
      jpeg = g_steal_pointer (&page);
      width = report.width;
      height = report.height;
    }

  /* A picture may show a resident's documents: readable by its owner only. */
  if (!g_file_set_contents_full (output, g_bytes_get_data (jpeg, NULL), g_bytes_get_size (jpeg),
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error))
    {
      g_printerr ("linli-diag: camera-snap: %s\n", error->message);
      return EXIT_FAILURE;
    }
  g_print ("wrote %s: %dx%d JPEG, %zu bytes, from “%s”\n", output, width, height,
           g_bytes_get_size (jpeg), source);
  return EXIT_SUCCESS;
}
