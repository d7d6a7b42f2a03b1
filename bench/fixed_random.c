/* fixed_random.c - a fixed sequence for GLib's g_random_int(), preloaded
 * into the tshark runs of bench/callgrind.py.
 *
 * Wireshark seeds the hash of every wmem_map from g_random_int() once per
 * process (wmem_init_hashing, wsutil/wmem/wmem_map.c), so the collisions in
 * its maps (MAC vendor names, conversations, ...) and their instruction
 * counts change from run to run: ±0.2% of a run on the trunk slice, which is
 * most of the margin of a 1.05 target.  With this sequence every run of the
 * same command counts the same instructions, and stock and plugin tshark
 * hash alike.  It changes nothing a dissector decides.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <glib.h>

guint32 g_random_int(void);

static guint32 state = 0x9e3779b9u;

guint32
g_random_int(void)
{
    /* a linear congruential generator (Numerical Recipes' constants) */
    state = state * 1664525u + 1013904223u;
    return state;
}
