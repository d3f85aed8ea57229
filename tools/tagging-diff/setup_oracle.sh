#!/usr/bin/env bash
# Builds the Python reference ("oracle") for the differential check from the mirrored sources, at the versions
# behind the expected results: assemblyline-base 6d8ed6cc (v4.7.3.stable1), assemblyline-service-utilities
# db3694f3 (v4.6.1.1), multidecoder v1.6.26. Needs python3 with the `regex` and `yaml` modules.
set -euo pipefail
ORACLE=${ORACLE_DIR:-/tmp/tagging-oracle}
MIRROR=${MIRROR_DIR:-/work/.mirror}
B=$MIRROR/CybercentreCanada+assemblyline-base/repo
U=$MIRROR/CybercentreCanada+assemblyline-service-utilities/repo
M=$MIRROR/CybercentreCanada+Multidecoder/repo
HERE=$(cd "$(dirname "$0")" && pwd)
rm -rf "$ORACLE" && mkdir -p "$ORACLE" && cd "$ORACLE"
mkdir -p assemblyline/common assemblyline/odm assemblyline_v4_service/common assemblyline_service_utilities/common multidecoder
touch assemblyline/__init__.py assemblyline/common/__init__.py assemblyline/odm/__init__.py \
  assemblyline_v4_service/__init__.py assemblyline_v4_service/common/__init__.py \
  assemblyline_service_utilities/__init__.py assemblyline_service_utilities/common/__init__.py
for f in net.py net_static.py str_utils.py; do git -C "$B" show 6d8ed6cc:assemblyline/common/$f > assemblyline/common/$f; done
for f in tag_helper.py safelist_helper.py; do
  git -C "$U" show db3694f3:assemblyline_service_utilities/common/$f > assemblyline_service_utilities/common/$f
done
git -C "$U" show db3694f3:assemblyline_service_utilities/common/dynamic_service_helper.py > dynamic_service_helper.py
git -C "$M" archive v1.6.26 src | tar -x -C multidecoder
# str_utils imports chardet for a function the tag helper does not use.
echo "def detect(x): return {'confidence': 0, 'encoding': None, 'language': None}" > chardet.py
# odm/base.py pulls in the whole ODM: only its regex constants are needed (al-cape's data/al_regexes.json).
python3 - "$HERE/../../data/al_regexes.json" > assemblyline/odm/base.py <<'PY'
import json, sys
for k, v in json.load(open(sys.argv[1])).items(): print(f"{k} = {v!r}")
PY
# The v4 service library's ResultSection.add_tag, without the rest of the library.
cat > assemblyline_v4_service/common/result.py <<'PY'
class ResultSection:
    def __init__(self, title):
        self.title = title
        self._tags = {}
    @property
    def tags(self): return self._tags
    def add_tag(self, tag_type, value):
        if not tag_type: return
        if isinstance(value, bytes): value = value.decode()
        if value == "": return
        self._tags.setdefault(tag_type, [])
        if value not in self._tags[tag_type]: self._tags[tag_type].append(value)
PY
echo "oracle ready in $ORACLE"
