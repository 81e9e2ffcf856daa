/* fuzz-document.c: arbitrary bytes into linli_document_process().
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Any input either fails with a LINLI_DOCUMENT_ERROR whose message is
 * UTF-8, or gives a JPEG whose size is the one reported. Inputs are
 * bounded (256 kB); a small file that claims a huge picture must be
 * refused from its header, before Leptonica allocates for it (libFuzzer's
 * -rss_limit_mb catches one that is not). */
#include <glib.h>
#include <leptonica/allheaders.h>
#include <stdint.h>
#include <stdlib.h>

#include "linli-document.h"

#define MAX_FUZZ_INPUT (256 * 1024)

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr (GBytes) input = NULL;
  g_autoptr (GBytes) output = NULL;
  g_autoptr (GError) error = NULL;
  LinliDocumentReport report;
  PIX *pix;

  if (size > MAX_FUZZ_INPUT)
    return 0;
  input = g_bytes_new_static (data, size);
  output = linli_document_process (input, &report, &error);
  if (output == NULL)
    {
      g_assert (error != NULL && error->domain == LINLI_DOCUMENT_ERROR);
      g_assert (g_utf8_validate (error->message, -1, NULL));
      return 0;
    }
  g_assert (error == NULL);
  g_assert (report.bytes == g_bytes_get_size (output));
  pix = pixReadMem (g_bytes_get_data (output, NULL), g_bytes_get_size (output));
  g_assert (pix != NULL);
  g_assert (pixGetWidth (pix) == report.width && pixGetHeight (pix) == report.height);
  g_assert (report.width <= LINLI_DOCUMENT_MAX_OUTPUT_SIDE
            && report.height <= LINLI_DOCUMENT_MAX_OUTPUT_SIDE);
  pixDestroy (&pix);
  return 0;
}
