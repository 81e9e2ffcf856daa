/* linli-ga467-usb.c
 *
 * The libusb transport of a GA/T 467 resident-ID reader (docs/ga467-usb.md).
 *
 * open() makes a fresh libusb context every time and enumerates the bus
 * again, so that a reader unplugged and plugged back in (new device
 * number, maybe a new bus) is found by the reader's periodic retry; on any
 * failure everything open() took is given back before it returns.
 *
 * Endpoints are chosen from the active configuration descriptor, in this
 * order of preference, on the first interface that has them:
 *
 *   bulk-split  two bulk OUT + two bulk IN endpoints: the reader expects a
 *               frame's preamble and length (7 bytes) on the lower OUT
 *               endpoint and the rest on the higher one, and answers the
 *               same way on the two IN endpoints. [2]: PROTOCOLS.md §1
 *               "Transport" and public Linux code for 0400:c35a
 *               (0x02/0x06 out, 0x81/0x85 in).
 *   bulk        one bulk OUT + one bulk IN: frames go as they are. [1]
 *   interrupt   one interrupt OUT + one interrupt IN (HID-class readers):
 *               a frame is written as reports of the OUT endpoint's
 *               packet size, the last one padded with zeros, and read as
 *               reports of the IN endpoint's size, whose padding after
 *               the end of the frame is dropped. [inf] — not verified on
 *               a real device; a reader that wants a report-ID byte or
 *               SET_REPORT control transfers is not supported.
 *
 * Reads go through an internal buffer of one packet of the IN endpoint; a
 * caller asking for fewer bytes gets the rest on its next read. To know
 * which IN endpoint to read in split mode, and where a report's padding
 * starts in interrupt mode, the transport follows the frame being received
 * (preamble, then the big-endian length that counts the bytes after it):
 * it looks at nothing else. Frames carry a resident's name and number, so
 * nothing here logs their bytes: only lengths, endpoints and status.
 */
#define G_LOG_DOMAIN "linli-ga467-usb"

#include "linli-ga467-usb.h"

#include <libusb.h>
#include <string.h>

/* Preamble and the length field after it (GA/T 467 frame header). */
#define FRAME_PREAMBLE_LENGTH 5
#define FRAME_HEADER_LENGTH   7
/* What a full-speed reader's bulk endpoints take; used when a descriptor
 * gives 0. */
#define DEFAULT_PACKET_SIZE 64

static const guint8 frame_preamble[FRAME_PREAMBLE_LENGTH] = { 0xaa, 0xaa, 0xaa, 0x96, 0x69 };

/* Only ids seen in public reader code; see docs/ga467-usb.md for the
 * sources. The endpoint layout of 0316:5020 is not documented anywhere we
 * found, so open() finds it. */
static const LinliGa467UsbKnownReader known_readers[] = {
  { "GA 467 SAM reader, vendor bulk (iDR200 class, several brands)", 0x0400, 0xc35a,
    LINLI_GA467_USB_ENDPOINTS_BULK_SPLIT },
  { "GA 467 SAM reader (Synjones SDK)", 0x0316, 0x5020, LINLI_GA467_USB_ENDPOINTS_UNKNOWN },
  { NULL, 0, 0, LINLI_GA467_USB_ENDPOINTS_UNKNOWN },
};

struct _LinliGa467Usb
{
  GObject parent_instance;

  guint16 vendor_id;
  guint16 product_id;

  libusb_context *context;
  libusb_device_handle *handle;
  int interface_number;
  gboolean detached_driver;
  guint8 bus;
  guint8 address;

  LinliGa467UsbEndpoints endpoints;
  guint8 out_endpoint;      /* split: the header's */
  guint8 out_body_endpoint; /* split only */
  guint8 in_endpoint;       /* split: the header's */
  guint8 in_body_endpoint;  /* split only */
  guint16 out_packet_size;
  guint16 in_packet_size;

  /* One IN packet and how much of it the caller has not taken yet. */
  guint8 *in_buffer;
  gsize in_length;
  gsize in_offset;

  /* The inbound frame being followed: header bytes seen so far (while
   * frame_total is 0), then the frame's total length and bytes seen. */
  guint8 frame_header[FRAME_HEADER_LENGTH];
  gsize frame_seen;
  gsize frame_total;

  /* Fixed buffers: describe() may be asked while a retry reopens. */
  char description[64];
  char endpoint_description[96];
};

static void linli_ga467_usb_transport_init (LinliGa467TransportInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (LinliGa467Usb,
                               linli_ga467_usb,
                               G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (LINLI_TYPE_GA467_TRANSPORT,
                                                      linli_ga467_usb_transport_init))

static gboolean
set_libusb_error (GError **error, int rc, const char *what)
{
  LinliGa467TransportError code;

  switch (rc)
    {
    case LIBUSB_ERROR_NO_DEVICE:
      code = LINLI_GA467_TRANSPORT_ERROR_GONE;
      break;
    case LIBUSB_ERROR_ACCESS:
      code = LINLI_GA467_TRANSPORT_ERROR_ACCESS;
      break;
    case LIBUSB_ERROR_TIMEOUT:
      code = LINLI_GA467_TRANSPORT_ERROR_TIMEOUT;
      break;
    case LIBUSB_ERROR_NOT_FOUND:
      code = LINLI_GA467_TRANSPORT_ERROR_NOT_FOUND;
      break;
    default:
      code = LINLI_GA467_TRANSPORT_ERROR_FAILED;
      break;
    }
  g_set_error (error, LINLI_GA467_TRANSPORT_ERROR, code, "%s: %s", what, libusb_strerror (rc));
  return FALSE;
}

static void
update_description (LinliGa467Usb *self)
{
  if (self->handle != NULL)
    g_snprintf (self->description, sizeof self->description, "usb %04x:%04x bus %u device %u",
                self->vendor_id, self->product_id, self->bus, self->address);
  else
    g_snprintf (self->description, sizeof self->description, "usb %04x:%04x", self->vendor_id,
                self->product_id);
}

static void
reset_inbound (LinliGa467Usb *self)
{
  self->in_length = 0;
  self->in_offset = 0;
  self->frame_seen = 0;
  self->frame_total = 0;
}

static void
linli_ga467_usb_close (LinliGa467Transport *transport)
{
  LinliGa467Usb *self = LINLI_GA467_USB (transport);

  if (self->handle != NULL)
    {
      /* Fail harmlessly when the reader is already gone. */
      libusb_release_interface (self->handle, self->interface_number);
      if (self->detached_driver)
        libusb_attach_kernel_driver (self->handle, self->interface_number);
      libusb_close (self->handle);
      self->handle = NULL;
      self->detached_driver = FALSE;
      g_debug ("closed %s", self->description);
    }
  if (self->context != NULL)
    {
      libusb_exit (self->context);
      self->context = NULL;
    }
  g_clear_pointer (&self->in_buffer, g_free);
  reset_inbound (self);
  self->endpoints = LINLI_GA467_USB_ENDPOINTS_UNKNOWN;
  self->out_endpoint = self->out_body_endpoint = 0;
  self->in_endpoint = self->in_body_endpoint = 0;
  self->endpoint_description[0] = '\0';
  update_description (self);
}

/* The endpoints of one interface setting, sorted by kind and direction,
 * each list in address order. */
typedef struct
{
  const struct libusb_endpoint_descriptor *bulk_out[2];
  const struct libusb_endpoint_descriptor *bulk_in[2];
  const struct libusb_endpoint_descriptor *interrupt_out;
  const struct libusb_endpoint_descriptor *interrupt_in;
  guint n_bulk_out;
  guint n_bulk_in;
} EndpointSet;

static void
add_sorted (const struct libusb_endpoint_descriptor **list,
            guint *n,
            const struct libusb_endpoint_descriptor *ep)
{
  if (*n >= 2)
    return;
  list[(*n)++] = ep;
  if (*n == 2 && list[0]->bEndpointAddress > list[1]->bEndpointAddress)
    {
      const struct libusb_endpoint_descriptor *t = list[0];
      list[0] = list[1];
      list[1] = t;
    }
}

static void
collect_endpoints (const struct libusb_interface_descriptor *alt, EndpointSet *set)
{
  memset (set, 0, sizeof *set);
  for (guint i = 0; i < alt->bNumEndpoints; i++)
    {
      const struct libusb_endpoint_descriptor *ep = &alt->endpoint[i];
      gboolean in = (ep->bEndpointAddress & LIBUSB_ENDPOINT_DIR_MASK) == LIBUSB_ENDPOINT_IN;

      switch (ep->bmAttributes & LIBUSB_TRANSFER_TYPE_MASK)
        {
        case LIBUSB_TRANSFER_TYPE_BULK:
          if (in)
            add_sorted (set->bulk_in, &set->n_bulk_in, ep);
          else
            add_sorted (set->bulk_out, &set->n_bulk_out, ep);
          break;
        case LIBUSB_TRANSFER_TYPE_INTERRUPT:
          if (in && set->interrupt_in == NULL)
            set->interrupt_in = ep;
          else if (!in && set->interrupt_out == NULL)
            set->interrupt_out = ep;
          break;
        default:
          break;
        }
    }
}

static guint16
packet_size (const struct libusb_endpoint_descriptor *ep)
{
  /* Bits 11–12 of wMaxPacketSize are high-bandwidth extras, not size. */
  guint16 size = ep->wMaxPacketSize & 0x07ff;
  return size != 0 ? size : DEFAULT_PACKET_SIZE;
}

/* Higher is preferred: the vendor bulk layouts are what GA 467 readers
 * are documented to use; interrupt endpoints are the fallback. */
static int
preference (LinliGa467UsbEndpoints kind)
{
  switch (kind)
    {
    case LINLI_GA467_USB_ENDPOINTS_BULK_SPLIT:
      return 3;
    case LINLI_GA467_USB_ENDPOINTS_BULK:
      return 2;
    case LINLI_GA467_USB_ENDPOINTS_INTERRUPT:
      return 1;
    case LINLI_GA467_USB_ENDPOINTS_UNKNOWN:
    default:
      return 0;
    }
}

static LinliGa467UsbEndpoints
classify (const EndpointSet *set)
{
  if (set->n_bulk_out == 2 && set->n_bulk_in == 2)
    return LINLI_GA467_USB_ENDPOINTS_BULK_SPLIT;
  if (set->n_bulk_out >= 1 && set->n_bulk_in >= 1)
    return LINLI_GA467_USB_ENDPOINTS_BULK;
  if (set->interrupt_out != NULL && set->interrupt_in != NULL)
    return LINLI_GA467_USB_ENDPOINTS_INTERRUPT;
  return LINLI_GA467_USB_ENDPOINTS_UNKNOWN;
}

/* Picks the interface (first alternate setting of each) with the most
 * preferred layout and fills in the endpoints. */
static gboolean
choose_endpoints (LinliGa467Usb *self, const struct libusb_config_descriptor *config)
{
  const struct libusb_interface_descriptor *best_alt = NULL;
  EndpointSet best = { 0 };
  LinliGa467UsbEndpoints best_kind = LINLI_GA467_USB_ENDPOINTS_UNKNOWN;

  for (guint i = 0; i < config->bNumInterfaces; i++)
    {
      const struct libusb_interface *iface = &config->interface[i];
      EndpointSet set;
      LinliGa467UsbEndpoints kind;

      if (iface->num_altsetting < 1)
        continue;
      collect_endpoints (&iface->altsetting[0], &set);
      kind = classify (&set);
      if (preference (kind) > preference (best_kind))
        {
          best_kind = kind;
          best = set;
          best_alt = &iface->altsetting[0];
        }
    }

  if (best_alt == NULL)
    return FALSE;

  self->endpoints = best_kind;
  self->interface_number = best_alt->bInterfaceNumber;
  switch (best_kind)
    {
    case LINLI_GA467_USB_ENDPOINTS_BULK_SPLIT:
      self->out_endpoint = best.bulk_out[0]->bEndpointAddress;
      self->out_body_endpoint = best.bulk_out[1]->bEndpointAddress;
      self->in_endpoint = best.bulk_in[0]->bEndpointAddress;
      self->in_body_endpoint = best.bulk_in[1]->bEndpointAddress;
      self->out_packet_size = packet_size (best.bulk_out[0]);
      self->in_packet_size = MAX (packet_size (best.bulk_in[0]), packet_size (best.bulk_in[1]));
      g_snprintf (self->endpoint_description, sizeof self->endpoint_description,
                  "bulk-split out 0x%02x+0x%02x in 0x%02x+0x%02x, %u-byte packets, interface %d",
                  self->out_endpoint, self->out_body_endpoint, self->in_endpoint,
                  self->in_body_endpoint, self->in_packet_size, self->interface_number);
      break;
    case LINLI_GA467_USB_ENDPOINTS_BULK:
      self->out_endpoint = best.bulk_out[0]->bEndpointAddress;
      self->in_endpoint = best.bulk_in[0]->bEndpointAddress;
      self->out_packet_size = packet_size (best.bulk_out[0]);
      self->in_packet_size = packet_size (best.bulk_in[0]);
      g_snprintf (self->endpoint_description, sizeof self->endpoint_description,
                  "bulk out 0x%02x in 0x%02x, %u-byte packets, interface %d", self->out_endpoint,
                  self->in_endpoint, self->in_packet_size, self->interface_number);
      break;
    case LINLI_GA467_USB_ENDPOINTS_INTERRUPT:
      self->out_endpoint = best.interrupt_out->bEndpointAddress;
      self->in_endpoint = best.interrupt_in->bEndpointAddress;
      self->out_packet_size = packet_size (best.interrupt_out);
      self->in_packet_size = packet_size (best.interrupt_in);
      g_snprintf (self->endpoint_description, sizeof self->endpoint_description,
                  "interrupt out 0x%02x in 0x%02x, %u/%u-byte reports, interface %d",
                  self->out_endpoint, self->in_endpoint, self->out_packet_size,
                  self->in_packet_size, self->interface_number);
      break;
    case LINLI_GA467_USB_ENDPOINTS_UNKNOWN:
    default:
      g_assert_not_reached ();
    }
  return TRUE;
}

static gboolean
open_device (LinliGa467Usb *self, libusb_device *device, GError **error)
{
  struct libusb_config_descriptor *config = NULL;
  gboolean found;
  int rc;

  rc = libusb_get_active_config_descriptor (device, &config);
  if (rc != LIBUSB_SUCCESS)
    {
      /* An unconfigured device: the first configuration is what the
       * kernel would set. */
      rc = libusb_get_config_descriptor (device, 0, &config);
    }
  if (rc != LIBUSB_SUCCESS)
    return set_libusb_error (error, rc, "cannot read the configuration descriptor");

  found = choose_endpoints (self, config);
  libusb_free_config_descriptor (config);
  if (!found)
    {
      g_set_error (error, LINLI_GA467_TRANSPORT_ERROR, LINLI_GA467_TRANSPORT_ERROR_FAILED,
                   "usb %04x:%04x has no interface with a bulk or interrupt endpoint pair",
                   self->vendor_id, self->product_id);
      return FALSE;
    }

  rc = libusb_open (device, &self->handle);
  if (rc != LIBUSB_SUCCESS)
    {
      self->handle = NULL;
      return set_libusb_error (error, rc, "cannot open the USB device");
    }

  /* A HID-class reader is bound to usbhid; detaching it is the only way
   * to use its endpoints (it is given back at close). Asked first rather
   * than with libusb_set_auto_detach_kernel_driver(): that one sends a
   * disconnect even when no driver is bound, which some kernels' usbfs
   * emulations (umockdev) refuse, failing the claim. */
  rc = libusb_kernel_driver_active (self->handle, self->interface_number);
  if (rc == 1)
    {
      rc = libusb_detach_kernel_driver (self->handle, self->interface_number);
      if (rc != LIBUSB_SUCCESS)
        return set_libusb_error (error, rc, "cannot detach the kernel driver from the reader");
      self->detached_driver = TRUE;
      g_debug ("usb %04x:%04x: detached the kernel driver of interface %d", self->vendor_id,
               self->product_id, self->interface_number);
    }

  rc = libusb_claim_interface (self->handle, self->interface_number);
  if (rc == LIBUSB_ERROR_BUSY)
    {
      g_set_error (error, LINLI_GA467_TRANSPORT_ERROR, LINLI_GA467_TRANSPORT_ERROR_FAILED,
                   "usb %04x:%04x interface %d is in use by another program", self->vendor_id,
                   self->product_id, self->interface_number);
      return FALSE;
    }
  if (rc != LIBUSB_SUCCESS)
    return set_libusb_error (error, rc, "cannot claim the reader's USB interface");

  return TRUE;
}

static gboolean
linli_ga467_usb_open (LinliGa467Transport *transport, GError **error)
{
  LinliGa467Usb *self = LINLI_GA467_USB (transport);
  libusb_device **list = NULL;
  libusb_device *device = NULL;
  ssize_t n;
  int rc;

  /* Reopening starts from nothing: the reader may be another device now. */
  linli_ga467_usb_close (transport);

  rc = libusb_init (&self->context);
  if (rc != LIBUSB_SUCCESS)
    {
      self->context = NULL;
      return set_libusb_error (error, rc, "cannot initialise libusb");
    }

  n = libusb_get_device_list (self->context, &list);
  if (n < 0)
    {
      set_libusb_error (error, (int) n, "cannot list USB devices");
      linli_ga467_usb_close (transport);
      return FALSE;
    }
  for (ssize_t i = 0; i < n && device == NULL; i++)
    {
      struct libusb_device_descriptor desc;

      if (libusb_get_device_descriptor (list[i], &desc) == LIBUSB_SUCCESS
          && desc.idVendor == self->vendor_id && desc.idProduct == self->product_id)
        device = libusb_ref_device (list[i]);
    }
  libusb_free_device_list (list, TRUE);

  if (device == NULL)
    {
      g_set_error (error, LINLI_GA467_TRANSPORT_ERROR, LINLI_GA467_TRANSPORT_ERROR_NOT_FOUND,
                   "no USB device %04x:%04x", self->vendor_id, self->product_id);
      linli_ga467_usb_close (transport);
      return FALSE;
    }

  self->bus = libusb_get_bus_number (device);
  self->address = libusb_get_device_address (device);
  if (!open_device (self, device, error))
    {
      libusb_unref_device (device);
      linli_ga467_usb_close (transport);
      return FALSE;
    }
  libusb_unref_device (device);

  /* Zeroed: umockdev's preload copies an IN buffer out before the
   * "device" fills it, which valgrind reports as a read of uninitialised
   * memory. */
  self->in_buffer = g_malloc0 (self->in_packet_size);
  reset_inbound (self);
  update_description (self);
  g_debug ("opened %s: %s", self->description, self->endpoint_description);
  return TRUE;
}

/* A transport call after a GONE or a close fails cleanly instead of using
 * a dead handle. */
static gboolean
check_open (LinliGa467Usb *self, GError **error)
{
  if (self->handle != NULL)
    return TRUE;
  g_set_error (error, LINLI_GA467_TRANSPORT_ERROR, LINLI_GA467_TRANSPORT_ERROR_GONE,
               "usb %04x:%04x is not open", self->vendor_id, self->product_id);
  return FALSE;
}

/* libusb reads a timeout of 0 as "wait for ever"; ours means "do not wait". */
static unsigned int
libusb_timeout (guint timeout_ms)
{
  return timeout_ms != 0 ? timeout_ms : 1;
}

static gboolean
transfer (LinliGa467Usb *self,
          guint8 endpoint,
          guint8 *data,
          int length,
          int *transferred,
          guint timeout_ms,
          GError **error)
{
  int rc;

  if (self->endpoints == LINLI_GA467_USB_ENDPOINTS_INTERRUPT)
    rc = libusb_interrupt_transfer (self->handle, endpoint, data, length, transferred,
                                    libusb_timeout (timeout_ms));
  else
    rc = libusb_bulk_transfer (self->handle, endpoint, data, length, transferred,
                               libusb_timeout (timeout_ms));
  if (rc == LIBUSB_SUCCESS)
    return TRUE;

  g_debug ("%s endpoint 0x%02x: %s (%d of %d bytes)", self->description, endpoint,
           libusb_error_name (rc), *transferred, length);
  set_libusb_error (error, rc,
                    (endpoint & LIBUSB_ENDPOINT_IN) != 0 ? "USB read failed" : "USB write failed");
  if (rc == LIBUSB_ERROR_NO_DEVICE)
    {
      /* Gone for good: free the handle now, so that nothing leaks even if
       * the caller only ever calls open() again. */
      linli_ga467_usb_close (LINLI_GA467_TRANSPORT (self));
    }
  return FALSE;
}

static gboolean
write_all (LinliGa467Usb *self,
           guint8 endpoint,
           const guint8 *data,
           gsize length,
           guint timeout_ms,
           GError **error)
{
  int transferred = 0;

  if (!transfer (self, endpoint, (guint8 *) data, (int) length, &transferred, timeout_ms, error))
    return FALSE;
  if ((gsize) transferred != length)
    {
      g_set_error (error, LINLI_GA467_TRANSPORT_ERROR, LINLI_GA467_TRANSPORT_ERROR_FAILED,
                   "USB write short: %d of %" G_GSIZE_FORMAT " bytes", transferred, length);
      return FALSE;
    }
  return TRUE;
}

static gboolean
linli_ga467_usb_write (LinliGa467Transport *transport,
                       const guint8 *data,
                       gsize length,
                       guint timeout_ms,
                       GError **error)
{
  LinliGa467Usb *self = LINLI_GA467_USB (transport);

  if (!check_open (self, error))
    return FALSE;
  if (length > G_MAXINT)
    {
      g_set_error (error, LINLI_GA467_TRANSPORT_ERROR, LINLI_GA467_TRANSPORT_ERROR_FAILED,
                   "frame of %" G_GSIZE_FORMAT " bytes is too long", length);
      return FALSE;
    }

  /* A command starts a new exchange: what is left of an earlier answer
   * (a reply the reader gave up on) must not be taken for the new one, as
   * a serial transport flushes its input before writing. */
  reset_inbound (self);
  g_debug ("%s: writing %" G_GSIZE_FORMAT " bytes", self->description, length);

  switch (self->endpoints)
    {
    case LINLI_GA467_USB_ENDPOINTS_BULK_SPLIT:
      if (length <= FRAME_HEADER_LENGTH)
        {
          g_set_error (error, LINLI_GA467_TRANSPORT_ERROR, LINLI_GA467_TRANSPORT_ERROR_FAILED,
                       "frame of %" G_GSIZE_FORMAT " bytes is too short for split endpoints",
                       length);
          return FALSE;
        }
      return write_all (self, self->out_endpoint, data, FRAME_HEADER_LENGTH, timeout_ms, error)
             && write_all (self, self->out_body_endpoint, data + FRAME_HEADER_LENGTH,
                           length - FRAME_HEADER_LENGTH, timeout_ms, error);

    case LINLI_GA467_USB_ENDPOINTS_INTERRUPT:
      {
        g_autofree guint8 *report = g_malloc (self->out_packet_size);

        for (gsize offset = 0; offset < length; offset += self->out_packet_size)
          {
            gsize chunk = MIN (length - offset, self->out_packet_size);

            /* [inf] a HID reader takes whole reports; zeros after the
             * frame are ignored by the reader's own length check. */
            memset (report, 0, self->out_packet_size);
            memcpy (report, data + offset, chunk);
            if (!write_all (self, self->out_endpoint, report, self->out_packet_size, timeout_ms,
                            error))
              return FALSE;
          }
        return TRUE;
      }

    case LINLI_GA467_USB_ENDPOINTS_BULK:
      return write_all (self, self->out_endpoint, data, length, timeout_ms, error);

    case LINLI_GA467_USB_ENDPOINTS_UNKNOWN:
    default:
      g_assert_not_reached ();
    }
  return FALSE;
}

/* Follows one byte of the inbound frame; returns whether it belongs to a
 * frame (or to what may be the start of one). */
static gboolean
follow_byte (LinliGa467Usb *self, guint8 byte)
{
  if (self->frame_total != 0)
    {
      if (++self->frame_seen == self->frame_total)
        self->frame_seen = self->frame_total = 0;
      return TRUE;
    }

  if (self->frame_seen < FRAME_PREAMBLE_LENGTH && byte != frame_preamble[self->frame_seen])
    {
      /* Resynchronise: "AA AA AA AA 96 69" still starts a frame. */
      if (byte == frame_preamble[0])
        self->frame_seen = self->frame_seen == 3 ? 3 : 1;
      else
        self->frame_seen = 0;
      return byte == frame_preamble[0];
    }

  self->frame_header[self->frame_seen++] = byte;
  if (self->frame_seen == FRAME_HEADER_LENGTH)
    {
      gsize body = ((gsize) self->frame_header[5] << 8) | self->frame_header[6];

      if (body == 0)
        self->frame_seen = 0;
      else
        self->frame_total = FRAME_HEADER_LENGTH + body;
    }
  return TRUE;
}

/* Follows a received packet; in interrupt mode, drops what lies outside a
 * frame (report padding). Returns the length kept. */
static gsize
follow_packet (LinliGa467Usb *self, guint8 *data, gsize length)
{
  gboolean drop_outside = self->endpoints == LINLI_GA467_USB_ENDPOINTS_INTERRUPT;
  gsize kept = 0;

  for (gsize i = 0; i < length; i++)
    {
      guint8 byte = data[i];

      if (follow_byte (self, byte) || !drop_outside)
        data[kept++] = byte;
    }
  return kept;
}

static gssize
linli_ga467_usb_read (
    LinliGa467Transport *transport, guint8 *buffer, gsize max, guint timeout_ms, GError **error)
{
  LinliGa467Usb *self = LINLI_GA467_USB (transport);
  gint64 deadline;
  gsize n;

  if (!check_open (self, error))
    return -1;
  if (max == 0)
    return 0;

  deadline = g_get_monotonic_time () + (gint64) timeout_ms * G_TIME_SPAN_MILLISECOND;
  while (self->in_offset >= self->in_length)
    {
      guint8 endpoint = self->in_endpoint;
      gint64 left_ms;
      int transferred = 0;

      /* In split mode the body comes on the second IN endpoint once the
       * header (preamble + length) is in. */
      if (self->endpoints == LINLI_GA467_USB_ENDPOINTS_BULK_SPLIT && self->frame_total != 0)
        endpoint = self->in_body_endpoint;

      left_ms = (deadline - g_get_monotonic_time ()) / G_TIME_SPAN_MILLISECOND;
      if (!transfer (self, endpoint, self->in_buffer, self->in_packet_size, &transferred,
                     (guint) CLAMP (left_ms, 0, G_MAXUINT), error))
        return -1;

      self->in_offset = 0;
      self->in_length = follow_packet (self, self->in_buffer, (gsize) transferred);
      if (self->in_length == 0 && g_get_monotonic_time () >= deadline)
        {
          /* Only empty packets or report padding: nothing arrived. */
          g_set_error (error, LINLI_GA467_TRANSPORT_ERROR, LINLI_GA467_TRANSPORT_ERROR_TIMEOUT,
                       "nothing from usb %04x:%04x within %u ms", self->vendor_id, self->product_id,
                       timeout_ms);
          return -1;
        }
    }

  n = MIN (max, self->in_length - self->in_offset);
  memcpy (buffer, self->in_buffer + self->in_offset, n);
  self->in_offset += n;
  return (gssize) n;
}

static const char *
linli_ga467_usb_describe (LinliGa467Transport *transport)
{
  return LINLI_GA467_USB (transport)->description;
}

static void
linli_ga467_usb_transport_init (LinliGa467TransportInterface *iface)
{
  iface->open = linli_ga467_usb_open;
  iface->close = linli_ga467_usb_close;
  iface->write = linli_ga467_usb_write;
  iface->read = linli_ga467_usb_read;
  iface->describe = linli_ga467_usb_describe;
}

static void
linli_ga467_usb_finalize (GObject *object)
{
  linli_ga467_usb_close (LINLI_GA467_TRANSPORT (object));
  G_OBJECT_CLASS (linli_ga467_usb_parent_class)->finalize (object);
}

static void
linli_ga467_usb_class_init (LinliGa467UsbClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = linli_ga467_usb_finalize;
}

static void
linli_ga467_usb_init (LinliGa467Usb *self)
{
}

LinliGa467Transport *
linli_ga467_usb_new (guint16 vendor_id, guint16 product_id)
{
  LinliGa467Usb *self = g_object_new (LINLI_TYPE_GA467_USB, NULL);

  self->vendor_id = vendor_id;
  self->product_id = product_id;
  update_description (self);
  return LINLI_GA467_TRANSPORT (self);
}

static gboolean
parse_hex16 (const char *text, gsize length, guint16 *value)
{
  guint v = 0;

  if (length == 0 || length > 4)
    return FALSE;
  for (gsize i = 0; i < length; i++)
    {
      int digit = g_ascii_xdigit_value (text[i]);

      if (digit < 0)
        return FALSE;
      v = (v << 4) | (guint) digit;
    }
  *value = (guint16) v;
  return TRUE;
}

gboolean
linli_ga467_usb_parse_id (const char *text, guint16 *vendor_id, guint16 *product_id, GError **error)
{
  g_autofree char *copy = NULL;
  const char *colon;
  guint16 vid, pid;

  g_return_val_if_fail (text != NULL, FALSE);

  copy = g_strstrip (g_strdup (text));
  colon = strchr (copy, ':');
  if (colon == NULL || !parse_hex16 (copy, (gsize) (colon - copy), &vid)
      || !parse_hex16 (colon + 1, strlen (colon + 1), &pid))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "“%s” is not a USB id: expected VENDOR:PRODUCT in hex, e.g. 0400:c35a", copy);
      return FALSE;
    }
  if (vendor_id != NULL)
    *vendor_id = vid;
  if (product_id != NULL)
    *product_id = pid;
  return TRUE;
}

guint16
linli_ga467_usb_get_vendor_id (LinliGa467Usb *self)
{
  g_return_val_if_fail (LINLI_IS_GA467_USB (self), 0);
  return self->vendor_id;
}

guint16
linli_ga467_usb_get_product_id (LinliGa467Usb *self)
{
  g_return_val_if_fail (LINLI_IS_GA467_USB (self), 0);
  return self->product_id;
}

LinliGa467UsbEndpoints
linli_ga467_usb_get_endpoints (LinliGa467Usb *self)
{
  g_return_val_if_fail (LINLI_IS_GA467_USB (self), LINLI_GA467_USB_ENDPOINTS_UNKNOWN);
  return self->endpoints;
}

const char *
linli_ga467_usb_describe_endpoints (LinliGa467Usb *self)
{
  g_return_val_if_fail (LINLI_IS_GA467_USB (self), NULL);
  return self->handle != NULL ? self->endpoint_description : NULL;
}

const LinliGa467UsbKnownReader *
linli_ga467_usb_get_known_readers (void)
{
  return known_readers;
}

const LinliGa467UsbKnownReader *
linli_ga467_usb_lookup_known_reader (guint16 vendor_id, guint16 product_id)
{
  for (const LinliGa467UsbKnownReader *r = known_readers; r->name != NULL; r++)
    if (r->vendor_id == vendor_id && r->product_id == product_id)
      return r;
  return NULL;
}
