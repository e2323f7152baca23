"""Windows: an MSI made with wixl around a launcher exe, both Authenticode-signed with osslsigncode.

The Windows app itself is frozen on a Windows runner (.github/workflows/windows.yml); on Linux the exe is
a stand-in (distlib's Windows launcher stub) so the MSI and signing pipeline is built and checked here.
"""

from __future__ import annotations

import os
import shutil
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path

from cockpit_release.run import ReleaseError, run, tool

UPGRADE_CODE = "6C1F2E4A-8B1D-4C55-9E0A-3A7B2D9F1C01"  # never changes: lets a new MSI replace the old
_NAMESPACE = uuid.UUID(UPGRADE_CODE)


@dataclass(frozen=True)
class CodeSigningCert:
    cert: Path
    key: Path
    throwaway: bool


def code_signing_cert(workdir: Path) -> CodeSigningCert:
    """COCKPIT_AUTHENTICODE_CERT/_KEY (PEM) if given, else a self-signed throwaway for this build."""
    cert, key = os.environ.get("COCKPIT_AUTHENTICODE_CERT"), os.environ.get("COCKPIT_AUTHENTICODE_KEY")
    if cert and key:
        return CodeSigningCert(Path(cert), Path(key), throwaway=False)
    if cert or key:
        raise ReleaseError("set both COCKPIT_AUTHENTICODE_CERT and COCKPIT_AUTHENTICODE_KEY, or neither")
    cert_path, key_path = workdir / "authenticode-throwaway.pem", workdir / "authenticode-throwaway.key"
    run(
        [
            tool("openssl"),
            "req",
            "-x509",
            "-newkey",
            "rsa:3072",
            "-sha256",
            "-days",
            "30",
            "-nodes",
            "-keyout",
            key_path,
            "-out",
            cert_path,
            "-subj",
            "/CN=Patient Cockpit THROWAWAY code signing/O=Not a release certificate",
            "-addext",
            "extendedKeyUsage=codeSigning",
            "-addext",
            "keyUsage=digitalSignature",
        ]
    )
    print(
        "!! No COCKPIT_AUTHENTICODE_CERT/KEY: the exe and MSI are signed with a THROWAWAY self-signed "
        "certificate (dist/authenticode-cert.pem). Do not ship them.",
        file=sys.stderr,
    )
    return CodeSigningCert(cert_path, key_path, throwaway=True)


def authenticode_sign(cert: CodeSigningCert, src: Path, dest: Path) -> Path:
    """Sign; timestamped only when COCKPIT_TIMESTAMP_URL is set (it needs the network)."""
    args: list[str | Path] = [
        tool("osslsigncode"),
        "sign",
        "-certs",
        cert.cert,
        "-key",
        cert.key,
        "-h",
        "sha256",
        "-n",
        "Patient Cockpit",
        "-i",
        "https://example.invalid",
    ]
    if url := os.environ.get("COCKPIT_TIMESTAMP_URL"):
        args += ["-ts", url]
    dest.unlink(missing_ok=True)
    run([*args, "-in", src, "-out", dest])
    return dest


WXS = """\
<?xml version="1.0" encoding="utf-8"?>
<Wix xmlns="http://schemas.microsoft.com/wix/2006/wi">
  <Product Id="{product_code}" Name="Patient Cockpit" Language="1033" Version="{version}"
           Manufacturer="Patient Cockpit developers" UpgradeCode="{upgrade_code}">
    <Package InstallerVersion="200" Compressed="yes" InstallScope="perMachine"
             Description="Patient Cockpit {version}" Comments="Signed installer; see docs/install-guide.md"/>
    <Media Id="1" Cabinet="cockpit.cab" EmbedCab="yes"/>
    <MajorUpgrade DowngradeErrorMessage="A newer Patient Cockpit is already installed."/>
    <Directory Id="TARGETDIR" Name="SourceDir">
      <Directory Id="ProgramFiles64Folder">
        <Directory Id="INSTALLDIR" Name="Patient Cockpit">
          <Component Id="MainExecutable" Guid="{component_guid}" Win64="yes">
            <File Id="CockpitExe" Name="cockpit.exe" Source="{exe}" KeyPath="yes"/>
          </Component>
        </Directory>
      </Directory>
    </Directory>
    <Feature Id="Complete" Level="1">
      <ComponentRef Id="MainExecutable"/>
    </Feature>
  </Product>
</Wix>
"""


def build_msi(signed_exe: Path, dest: Path, version: str, work: Path) -> Path:
    """An MSI (x64, per machine) installing cockpit.exe into Program Files; silent: msiexec /i ... /qn."""
    numeric = ".".join(part for part in version.split(".")[:3] if part.isdigit())
    wxs = work / "cockpit.wxs"
    shutil.copyfile(signed_exe, work / "cockpit.exe")  # wixl resolves Source relative to its cwd only
    wxs.write_text(
        WXS.format(
            product_code=str(uuid.uuid5(_NAMESPACE, f"product-{version}")).upper(),
            component_guid=str(uuid.uuid5(_NAMESPACE, "component-main-executable")).upper(),
            upgrade_code=UPGRADE_CODE,
            version=numeric,
            exe="cockpit.exe",
        )
    )
    dest.unlink(missing_ok=True)
    run([tool("wixl"), "-a", "x64", "-o", dest.resolve(), wxs.name], cwd=work)
    return dest


def stand_in_exe() -> Path:
    """distlib's Windows launcher stub: a real PE file to sign and wrap when no Windows build is at hand."""
    import pip  # noqa: PLC0415

    exe = Path(pip.__file__).parent / "_vendor" / "distlib" / "t64.exe"
    if not exe.is_file():
        raise ReleaseError(f"no stand-in Windows exe at {exe}")
    return exe
