"""Where a data file lives: network shares and removable media are told apart from the local disk."""

from __future__ import annotations

from db import portable

MOUNTS = """\
/dev/nvme0n1p2 / ext4 rw,relatime 0 0
/dev/sdb1 /media/clerk/KINGSTON vfat rw,nosuid 0 0
//server/share /mnt/office cifs rw 0 0
server:/export /srv/nfs nfs4 rw 0 0
/dev/nvme0n1p3 /home ext4 rw 0 0
"""


def test_local_disk_is_not_removable():
    assert not portable.removable_or_network_from_mounts("/home/clerk/科技局数据.kjdb", MOUNTS)


def test_usb_stick_under_media_is_removable():
    assert portable.removable_or_network_from_mounts("/media/clerk/KINGSTON/数据.kjdb", MOUNTS)


def test_network_shares_are_detected():
    assert portable.removable_or_network_from_mounts("/mnt/office/数据.kjdb", MOUNTS)
    assert portable.removable_or_network_from_mounts("/srv/nfs/a/数据.kjdb", MOUNTS)


def test_this_machines_temporary_folder_is_local(tmp_path):
    assert not portable.is_removable_or_network(tmp_path / "data.kjdb")
