/* linli-usb-device-info.h: one line of the USB inventory — a configured
 * role and the device that fills it (or not), or a device nobody
 * configured. Immutable: the inventory replaces items, it never edits
 * them. See docs/usb-inventory.md.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* What the kiosk expects a USB device to be for ([usb] in the
 * configuration); NONE for a device no role names. */
typedef enum
{
  LINLI_USB_ROLE_NONE,
  LINLI_USB_ROLE_ID_READER,
  LINLI_USB_ROLE_PRINTER,
  LINLI_USB_ROLE_CAMERA,
  LINLI_USB_ROLE_KEYPAD,
} LinliUsbRole;

#define LINLI_USB_N_ROLES (LINLI_USB_ROLE_KEYPAD + 1)

typedef enum
{
  LINLI_USB_DEVICE_PRESENT,    /* a configured role, filled by a device on the bus */
  LINLI_USB_DEVICE_ABSENT,     /* a configured role, no device of its ids on the bus */
  LINLI_USB_DEVICE_UNEXPECTED, /* on the bus, but no role names its vendor:product */
} LinliUsbDeviceState;

GType linli_usb_role_get_type (void) G_GNUC_CONST;
#define LINLI_TYPE_USB_ROLE (linli_usb_role_get_type ())
GType linli_usb_device_state_get_type (void) G_GNUC_CONST;
#define LINLI_TYPE_USB_DEVICE_STATE (linli_usb_device_state_get_type ())

/* "id-reader", "printer", "camera", "keypad" (the [usb] keys), "none". */
const char *linli_usb_role_to_string (LinliUsbRole role);
/* "present", "absent", "unexpected". */
const char *linli_usb_device_state_to_string (LinliUsbDeviceState state);

#define LINLI_TYPE_USB_DEVICE_INFO (linli_usb_device_info_get_type ())
G_DECLARE_FINAL_TYPE (LinliUsbDeviceInfo, linli_usb_device_info, LINLI, USB_DEVICE_INFO, GObject)

/* @bus and @address are 0 for an absent role; @manufacturer and @product
 * are NULL when the device could not be asked (permissions, no strings);
 * @expected_ids is the role's configured list ("0400:c35a;0316:5020"),
 * NULL for an unexpected device. */
LinliUsbDeviceInfo *linli_usb_device_info_new (LinliUsbRole role,
                                               LinliUsbDeviceState state,
                                               guint16 vendor_id,
                                               guint16 product_id,
                                               guint8 bus,
                                               guint8 address,
                                               const char *manufacturer,
                                               const char *product,
                                               const char *expected_ids);

LinliUsbRole linli_usb_device_info_get_role (LinliUsbDeviceInfo *self);
LinliUsbDeviceState linli_usb_device_info_get_state (LinliUsbDeviceInfo *self);
guint16 linli_usb_device_info_get_vendor_id (LinliUsbDeviceInfo *self);
guint16 linli_usb_device_info_get_product_id (LinliUsbDeviceInfo *self);
/* "0400:c35a", as lsusb prints it. */
const char *linli_usb_device_info_get_id (LinliUsbDeviceInfo *self);
guint8 linli_usb_device_info_get_bus (LinliUsbDeviceInfo *self);
guint8 linli_usb_device_info_get_address (LinliUsbDeviceInfo *self);
const char *linli_usb_device_info_get_manufacturer (LinliUsbDeviceInfo *self);
const char *linli_usb_device_info_get_product (LinliUsbDeviceInfo *self);
const char *linli_usb_device_info_get_expected_ids (LinliUsbDeviceInfo *self);

gboolean linli_usb_device_info_equal (LinliUsbDeviceInfo *a, LinliUsbDeviceInfo *b);

G_END_DECLS
