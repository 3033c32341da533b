"""The demo file's 2012 report draft: the clerk's own text where only the clerk can write it."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import ReportDraft
from kejiju_desktop.services import drafts

YEAR = 2012
ISSUED = dt.date(2013, 1, 5)
STAMP = dt.datetime(2014, 1, 6, 9, 0, 0)
DRAFT_UID = str(uuid.UUID(int=20130105, version=4))

CLERK_TEXT = {
    "intro": "2012年，县科学技术局在县委、县政府的坚强领导和上级科技部门的指导下，深入实施创新驱动发展战略，"
    "着力营造创新创业环境，加快推进自主创新能力建设，较好地完成了全年各项目标任务。",
    "carriers": "（四）筹划建设科技企业孵化器。赴先进地区考察学习孵化器建设和运行经验，与工业港管委会联合召开"
    "科技企业孵化器建设座谈会，邀请市科技局就孵化器运行机制和扶持政策进行专题辅导。",
    "projects": "（五）兑现县级科技扶持政策。完成2011年度县科学技术进步奖评审，兑现20余家企业的政策性科技扶持资金；"
    "起草并出台关于加快科技创新促进经济发展方式转变的实施意见。",
    "awards": "召开全县科技工作会，表彰2011年度县科学技术进步奖获奖单位和个人，为新认定的高新技术企业颁发证书，"
    "并对获得省级科技奖励的单位和个人给予配套奖励。",
    "ip": "（三）加强知识产权保护。开展知识产权专项执法检查和宣传培训，在工业港园区开展企业专利“清零”行动，"
    "帮助“零专利”企业申请专利50多件。",
    "events": "（四）扎实开展科普统计。按照上级部署完成全县科普统计调查，数据按时报送。",
    "agri": "深入推进统筹城乡发展综合信息服务平台建设，完成20个村级站点的硬件配备，其中8个村建成标准化示范站点；"
    "开通乡村旅游服务平台，为农家乐和乡村酒店提供展示推介服务。",
    "plans": "（一）加快培育创新主体。力争新认定高新技术企业10家以上，新建市级以上工程技术研究中心2个。\n"
    "（二）抓好科技项目组织实施。围绕主导产业组织申报各级科技计划项目50项以上，加强项目过程管理。\n"
    "（三）深入实施知识产权强县工程。力争专利申请量达到450件以上，其中发明专利80件以上。\n"
    "（四）持续开展科普宣传。办好科技活动周、全国科普日等主题活动，新建科普基地1个以上。",
}
CUSTOM_SECTIONS = (
    ("充分发挥县科技顾问团作用", "邀请省内外知名专家开展集中献计献策活动，围绕主导产业转型发展举办专题研讨会和"
     "专题讲座，为县政府推荐科技、经济和社会发展领域专家10名。"),
    ("获评全国科技管理系统先进集体", "因工作业绩突出，我局被评为全国科技管理系统先进集体，全省仅有3家单位获此殊荣。"),
)  # fmt: skip


def add_demo_drafts(session: Session) -> None:
    """Write the 2012 draft: title, date, the clerk's text, two sections of the clerk's alone."""
    drafts.update_draft(session, YEAR, title="示范县科学技术局2012年工作总结", issued_on=ISSUED)
    row = session.scalars(select(ReportDraft).where(ReportDraft.year == YEAR)).one()
    row.uid = DRAFT_UID  # the demo file is the same on every run
    for key, text in CLERK_TEXT.items():
        drafts.update_section(session, YEAR, key, clerk_text=text)
    added = []
    for heading, text in CUSTOM_SECTIONS:
        key = drafts.add_section(session, YEAR, heading)
        drafts.update_section(session, YEAR, key, clerk_text=text)
        added.append(key)
    last = ["plans", "indicators"]
    order = [s.key for s in drafts.load_draft(session, YEAR).sections if s.key not in added + last]
    drafts.set_order(session, YEAR, [*order, *added, *last])
    row.updated_at = STAMP
