/* linli-ga467-usb.h: the libusb transport of a GA/T 467 resident-ID reader.
 * Finds the reader by vendor:product id, picks its endpoints from the
 * configuration descriptor and moves frames over bulk or interrupt
 * transfers. See docs/ga467-usb.md. */
#pragma once

#include "linli-ga467-transport.h"

G_BEGIN_DECLS

#define LINLI_TYPE_GA467_USB (linli_ga467_usb_get_type ())
G_DECLARE_FINAL_TYPE (LinliGa467Usb, linli_ga467_usb, LINLI, GA467_USB, GObject)

/* How the frames travel, as found from the descriptors at open(). */
typedef enum
{
  LINLI_GA467_USB_ENDPOINTS_UNKNOWN,    /* not open yet, or (in the table) found at open */
  LINLI_GA467_USB_ENDPOINTS_BULK,       /* one bulk OUT + one bulk IN: frames as they are */
  LINLI_GA467_USB_ENDPOINTS_BULK_SPLIT, /* two of each: preamble + length on the first,
                                         * the rest on the second */
  LINLI_GA467_USB_ENDPOINTS_INTERRUPT,  /* interrupt OUT + IN (HID class): fixed-size reports */
} LinliGa467UsbEndpoints;

/* A reader model whose ids were found in public sources (docs/ga467-usb.md). */
typedef struct
{
  const char *name;
  guint16 vendor_id;
  guint16 product_id;
  LinliGa467UsbEndpoints endpoints;
} LinliGa467UsbKnownReader;

LinliGa467Transport *linli_ga467_usb_new (guint16 vendor_id, guint16 product_id);

/* Parses "0400:c35a" (hex, either case, surrounding blanks allowed). */
gboolean linli_ga467_usb_parse_id (const char *text,
                                   guint16 *vendor_id,
                                   guint16 *product_id,
                                   GError **error);

guint16 linli_ga467_usb_get_vendor_id (LinliGa467Usb *self);
guint16 linli_ga467_usb_get_product_id (LinliGa467Usb *self);
LinliGa467UsbEndpoints linli_ga467_usb_get_endpoints (LinliGa467Usb *self);
/* For maintainers and tests: "bulk-split out 0x02+0x06 in 0x81+0x85, 64-byte
 * packets, interface 0"; NULL while closed. */
const char *linli_ga467_usb_describe_endpoints (LinliGa467Usb *self);

/* The table of known readers, terminated by an entry whose name is NULL. */
const LinliGa467UsbKnownReader *linli_ga467_usb_get_known_readers (void);
/* The known reader with these ids, or NULL. */
const LinliGa467UsbKnownReader *linli_ga467_usb_lookup_known_reader (guint16 vendor_id,
                                                                     guint16 product_id);

G_END_DECLS
