/* arena.h
 * The allocator the unit tests give the core: every allocation is
 * remembered and freed by free_arena(), which each suite runs after each
 * test (.fini), as Wireshark's file scope frees everything at once.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SIPMTLS_TEST_ARENA_H
#define SIPMTLS_TEST_ARENA_H

#include <criterion/criterion.h>
#include <stdlib.h>

#include "sipmtls.h"

static void *arena_blocks[8192];
static size_t arena_n_blocks;

static void *
arena_alloc0(void *ctx, size_t size)
{
    (void)ctx;
    cr_assert_lt(arena_n_blocks, sizeof arena_blocks / sizeof arena_blocks[0], "test arena full");
    return arena_blocks[arena_n_blocks++] = calloc(1, size);
}

static const sipmtls_allocator arena = { arena_alloc0, NULL };

static void
free_arena(void)
{
    while (arena_n_blocks > 0)
        free(arena_blocks[--arena_n_blocks]);
}

#endif /* SIPMTLS_TEST_ARENA_H */
