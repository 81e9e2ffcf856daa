/* linli-usb-inventory.h: which USB devices are on the kiosk's bus, against
 * the ones the configuration expects (ID reader, printer, camera, keypad).
 * See docs/usb-inventory.md.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "linli-usb-device-info.h"

G_BEGIN_DECLS

#define LINLI_USB_INVENTORY_ERROR (linli_usb_inventory_error_quark ())

typedef enum
{
  LINLI_USB_INVENTORY_ERROR_INVALID_ID, /* not "VVVV:PPPP[;VVVV:PPPP…]" */
  LINLI_USB_INVENTORY_ERROR_LIBUSB,     /* libusb cannot start (no usbfs, no memory) */
} LinliUsbInventoryError;

GQuark linli_usb_inventory_error_quark (void);

/* Seconds between enumerations when libusb has no hotplug support. */
#define LINLI_USB_INVENTORY_DEFAULT_INTERVAL 5
#define LINLI_USB_INVENTORY_MAX_INTERVAL     3600

#define LINLI_TYPE_USB_INVENTORY (linli_usb_inventory_get_type ())
G_DECLARE_FINAL_TYPE (LinliUsbInventory, linli_usb_inventory, LINLI, USB_INVENTORY, GObject)

/* A GListModel of LinliUsbDeviceInfo: every configured role (present or
 * absent, in the order id-reader, printer, camera, keypad), then every
 * unexpected device; empty until the first enumeration ("ready"). */
LinliUsbInventory *linli_usb_inventory_new (void);

/* Parses "0400:c35a" or "0400:c35a;0316:5020" (hex, either case, blanks
 * around each id allowed; empty text is an empty list). @ids, if not
 * NULL, receives a GArray of guint32 (vendor << 16 | product). */
gboolean linli_usb_inventory_parse_ids (const char *text, GArray **ids, GError **error);

/* Which vendor:product ids fill @role; any one of them present is enough.
 * Set before start(). Empty @ids: the role is not expected. */
gboolean linli_usb_inventory_set_role_ids (LinliUsbInventory *self,
                                           LinliUsbRole role,
                                           const char *ids,
                                           GError **error);

void linli_usb_inventory_set_interval (LinliUsbInventory *self, guint seconds);
guint linli_usb_inventory_get_interval (LinliUsbInventory *self);
/* TRUE (the default): follow libusb's hotplug events where libusb has
 * them; FALSE: enumerate every "interval" seconds even then. */
void linli_usb_inventory_set_use_hotplug (LinliUsbInventory *self, gboolean use_hotplug);
gboolean linli_usb_inventory_get_use_hotplug (LinliUsbInventory *self);

/* Starts watching the bus on a worker thread; results arrive on the
 * thread-default main context of the caller. FALSE if libusb cannot
 * start: every configured role is then listed as absent, "problem" says
 * why, and "ready" is TRUE. */
gboolean linli_usb_inventory_start (LinliUsbInventory *self, GError **error);
/* Stops the worker (waits for it: at most one string read, 250 ms). */
void linli_usb_inventory_stop (LinliUsbInventory *self);
/* Asks for an enumeration now (a maintainer's "refresh"). */
void linli_usb_inventory_refresh (LinliUsbInventory *self);

gboolean linli_usb_inventory_get_ready (LinliUsbInventory *self);
/* Whether hotplug events drive the inventory (after start()). */
gboolean linli_usb_inventory_get_hotplug_active (LinliUsbInventory *self);
/* Why the inventory cannot see the bus, or NULL. */
const char *linli_usb_inventory_get_problem (LinliUsbInventory *self);
/* TRUE when every configured role is present (and the bus was seen). */
gboolean linli_usb_inventory_get_all_present (LinliUsbInventory *self);

G_END_DECLS
